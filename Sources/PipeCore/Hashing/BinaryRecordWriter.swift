/// Builds one checksummed binary file in memory: the header at creation, then little-endian fields appended
/// record by record, then `finish()` seals it with the XXH3-128 of every byte before the trailer.
///
/// The only way the index files are written, so every field of every format is laid out the same way (see
/// `ChecksummedBinaryFile` for the frame). Signed integers are stored as their two's-complement bit pattern.
struct BinaryRecordWriter {
    private var bytes: [UInt8] = []

    /// A writer whose header says `format` and `count` records; `reservingCapacity` is a size hint in bytes.
    init(format: ChecksummedBinaryFile, count: Int, reservingCapacity: Int = 0) {
        bytes.reserveCapacity(max(reservingCapacity, ChecksummedBinaryFile.headerSize + ChecksummedBinaryFile.trailerSize))
        bytes.append(contentsOf: format.magic)
        append(format.version)
        append(UInt32(0))                       // reserved
        append(UInt64(count))
    }

    /// Appends a fixed-width integer, little-endian.
    mutating func append<Integer: FixedWidthInteger>(_ value: Integer) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends a content hash as u64 high, then u64 low.
    mutating func append(_ hash: ContentHash) {
        append(hash.high)
        append(hash.low)
    }

    /// Appends `string` as a u32 byte length followed by its UTF-8 bytes (no terminator).
    mutating func appendLengthPrefixed(_ string: String) {
        let utf8 = string.utf8
        precondition(utf8.count <= Int(UInt32.max), "a string of \(utf8.count) bytes does not fit a u32 length")
        append(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// The finished file: everything appended, then the XXH3-128 checksum of it (high, low).
    consuming func finish() -> [UInt8] {
        let checksum = XXH3Hasher.hash(bytes)
        append(checksum)
        return bytes
    }
}
