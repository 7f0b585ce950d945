import Foundation

/// Streams rows as JSON Lines (one compact object per line, `\n` terminated, UTF-8) to a byte sink.
///
/// The sink is any function taking bytes, e.g. a `PipeBasics.AtomicFileWriter`, so the stage decides where and
/// how atomically the bytes land. Output is buffered in 256 KiB blocks; call `finish()` to flush the tail.
public final class JSONLinesWriter {
    private let sink: (Data) throws -> Void
    private var buffer = ""
    /// How many rows were written so far.
    public private(set) var count = 0

    public init(sink: @escaping (Data) throws -> Void) {
        self.sink = sink
    }

    /// Appends one row.
    public func write(_ row: some JSONLineEncodable) throws {
        try write(row.jsonLine)
    }

    /// Appends one JSON value as a line.
    public func write(_ value: JSONLineValue) throws {
        value.write(into: &buffer, format: .jsonLines)
        buffer += "\n"
        count += 1
        if buffer.utf8.count >= 1 << 18 { try flush() }
    }

    /// Hands any buffered bytes to the sink.
    public func finish() throws { try flush() }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try sink(Data(buffer.utf8))
        buffer = ""
    }

    /// All rows as JSON Lines bytes at once (small outputs and tests).
    public static func encode(_ rows: [some JSONLineEncodable]) -> Data {
        var out = ""
        for row in rows {
            row.jsonLine.write(into: &out, format: .jsonLines)
            out += "\n"
        }
        return Data(out.utf8)
    }
}
