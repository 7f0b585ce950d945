import Foundation
import PipeBasics

/// One binary shard of encoded records: every record's token ids, back to back, with an offset index.
///
/// Layout, all little-endian (documented in docs/tokenizer.md):
/// ```
/// 0   8 bytes          magic "PTOKSHRD"
/// 8   u32              format version (1)
/// 12  u32              record count N
/// 16  u64              token count T
/// 24  (N+1) × u64      token offsets: record i is ids[offsets[i] ..< offsets[i+1]]; offsets[0] = 0, offsets[N] = T
/// …   T × u32          token ids
/// ```
/// Four bytes a token and eight a record: a 12k-record corpus of ~2M tokens is ~8 MB, and any record is reached
/// in O(1) by memory-mapping the file.
public struct TokenShard: Equatable, Sendable {
    /// The file magic.
    public static let magic = Array("PTOKSHRD".utf8)
    /// The format version written and accepted.
    public static let version: UInt32 = 1

    /// Token offsets, N + 1 entries.
    public private(set) var offsets: [UInt64] = [0]
    /// All token ids, record after record.
    public private(set) var ids: [UInt32] = []

    /// An empty shard.
    public init() {}

    /// The number of records.
    public var count: Int { offsets.count - 1 }
    /// The number of tokens.
    public var tokenCount: Int { ids.count }

    /// The ids of record `index`.
    public subscript(index: Int) -> ArraySlice<UInt32> { ids[Int(offsets[index])..<Int(offsets[index + 1])] }

    /// Appends a record.
    public mutating func append<C: Collection>(_ record: C) where C.Element == UInt32 {
        ids.append(contentsOf: record)
        offsets.append(UInt64(ids.count))
    }

    /// The shard's bytes in the layout above.
    public func encoded() -> Data {
        var data = Data(capacity: 24 + offsets.count * 8 + ids.count * 4)
        data.append(contentsOf: Self.magic)
        Self.append(Self.version, to: &data)
        Self.append(UInt32(count), to: &data)
        Self.append(UInt64(ids.count), to: &data)
        offsets.withUnsafeBufferPointer { buffer in
            for value in buffer { Self.append(value, to: &data) }
        }
        ids.withUnsafeBufferPointer { buffer in
            for value in buffer { Self.append(value, to: &data) }
        }
        return data
    }

    /// Writes the shard atomically (temporary file in the same directory, fsync, then rename).
    public func write(to url: URL) throws {
        do { try AtomicFileWriter.write(encoded(), to: url.path) } catch {
            throw TokenShardError(path: url.path, reason: "cannot write: \(error)")
        }
    }

    /// Reads a shard file; throws `TokenShardError` naming the file and what is wrong with it.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenShardError(path: url.path, reason: "cannot read: \((error as NSError).localizedDescription)")
        }
        try self.init(data: data, path: url.path)
    }

    /// Parses shard bytes; `path` names them in errors.
    public init(data: Data, path: String = "<memory>") throws {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> TokenShardError { TokenShardError(path: path, reason: reason) }
        guard bytes.count >= 24, Array(bytes[0..<8]) == Self.magic else {
            throw fail("not a token shard (bad magic); shards are written by the tokenize stage")
        }
        let version: UInt32 = Self.read(bytes, at: 8)
        guard version == Self.version else { throw fail("format version \(version), expected \(Self.version)") }
        let n = Int(Self.read(bytes, at: 12) as UInt32)
        let t = Int(Self.read(bytes, at: 16) as UInt64)
        let expected = 24 + (n + 1) * 8 + t * 4
        guard bytes.count == expected else {
            throw fail("size \(bytes.count) bytes, but the header (\(n) records, \(t) tokens) needs \(expected); the file is truncated")
        }
        var offsets: [UInt64] = []
        offsets.reserveCapacity(n + 1)
        for i in 0...n { offsets.append(Self.read(bytes, at: 24 + i * 8)) }
        guard offsets.first == 0, offsets.last == UInt64(t), zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw fail("offsets are not increasing from 0 to \(t)")
        }
        let base = 24 + (n + 1) * 8
        var ids: [UInt32] = []
        ids.reserveCapacity(t)
        for i in 0..<t { ids.append(Self.read(bytes, at: base + i * 4)) }
        self.offsets = offsets
        self.ids = ids
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func read<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int) -> T {
        var value: T = 0
        for k in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + k]) << (8 * k) }
        return value
    }
}

/// A shard file that cannot be read or written, with the path and the reason.
public struct TokenShardError: Error, Equatable, CustomStringConvertible {
    /// The shard file.
    public var path: String
    /// What is wrong.
    public var reason: String
    /// `path: reason`.
    public var description: String { "\(path): \(reason)" }
}
