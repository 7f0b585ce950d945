import Foundation

/// A problem in a data file, naming the file and line, what is wrong and what to do.
public struct DataFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    /// 1-based line number, when the problem is on one line.
    public var line: Int?
    public var message: String
    public var fix: String?

    public init(path: String, line: Int? = nil, message: String, fix: String? = nil) {
        self.path = path
        self.line = line
        self.message = message
        self.fix = fix
    }

    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        return "\(place): \(message)" + (fix.map { "\n  fix: \($0)" } ?? "")
    }
}

/// Reads JSON Lines files line by line in 1 MiB blocks, so memory stays bounded whatever the file size.
public struct JSONLinesReader {
    /// The file read.
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    /// Calls `body` with each line's number (1-based) and bytes (without the newline; a final line without `\n`
    /// included, blank lines included).
    public func forEachLine(_ body: (Int, Data) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw DataFileError(path: url.path, message: "cannot open the file for reading",
                                fix: "check that the upstream stage produced it")
        }
        defer { try? handle.close() }
        var pending = Data()
        var number = 0
        while true {
            let block = try handle.read(upToCount: 1 << 20) ?? Data()
            if block.isEmpty { break }
            pending.append(block)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                number += 1
                var line = pending[start..<newline]
                if line.last == 0x0D { line = line.dropLast() }
                if number == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
                try body(number, Data(line))
                start = pending.index(after: newline)
            }
            pending = Data(pending[start...])
        }
        if !pending.isEmpty {
            number += 1
            if number == 1, pending.starts(with: [0xEF, 0xBB, 0xBF]) { pending = Data(pending.dropFirst(3)) }
            try body(number, pending)
        }
    }

    /// Decodes every non-blank line as `T`; a line that fails is an error naming its number.
    public func readAll<T: Decodable>(_ type: T.Type) throws -> [T] {
        var rows: [T] = []
        let decoder = JSONDecoder()
        try forEachLine { number, line in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            do {
                rows.append(try decoder.decode(T.self, from: line))
            } catch {
                throw DataFileError(path: url.path, line: number,
                                    message: "not a valid \(T.self) row: \(Self.reason(error))",
                                    fix: "regenerate the file with the upstream stage or correct this line")
            }
        }
        return rows
    }

    /// A short reason for a decoding failure, naming the field.
    static func reason(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing field '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case let DecodingError.dataCorrupted(context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return field.isEmpty ? "not JSON" : "field '\(field)': \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
