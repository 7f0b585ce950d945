/// Why a checksummed binary file was refused: its bytes are not what the writer produces. The reason is shown in
/// the load outcome (`IndexLoadOutcome.discarded`), so it names what was wrong (and, where known, the path).
struct BinaryFormatProblem: Error, Equatable {
    /// What was wrong, e.g. "checksum mismatch" or "truncated entry".
    var reason: String
}

/// Reads little-endian fields one after another from the body of a checksummed binary file (header and records,
/// trailer excluded), checking every bound: a read past the end throws "truncated entry" instead of trapping.
///
/// It views bytes it does not own, so it exists only inside `ChecksummedBinaryFile.decode`'s closure.
struct BinaryRecordReader {
    private let bytes: UnsafeRawBufferPointer
    /// Offset of the next unread byte.
    private(set) var offset: Int

    /// A reader over `bytes` starting at `offset`.
    init(_ bytes: UnsafeRawBufferPointer, offset: Int) {
        self.bytes = bytes
        self.offset = offset
    }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    /// Reads a fixed-width little-endian integer.
    mutating func read<Integer: FixedWidthInteger>(_: Integer.Type = Integer.self) throws(BinaryFormatProblem) -> Integer {
        let size = MemoryLayout<Integer>.size
        guard size <= remaining else { throw BinaryFormatProblem(reason: "truncated entry") }
        let value = Integer(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Integer.self))
        offset += size
        return value
    }

    /// Reads a content hash written as u64 high, then u64 low.
    mutating func readContentHash() throws(BinaryFormatProblem) -> ContentHash {
        let high: UInt64 = try read()
        return ContentHash(high: high, low: try read())
    }

    /// Reads a u32 byte length and that many bytes as UTF-8 (ill-formed sequences become U+FFFD; the checksum
    /// already guarantees these are the bytes the writer wrote).
    mutating func readLengthPrefixedString() throws(BinaryFormatProblem) -> String {
        let length = Int(try read(UInt32.self))
        guard length <= remaining else { throw BinaryFormatProblem(reason: "truncated entry") }
        let string = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]), as: UTF8.self)
        offset += length
        return string
    }
}
