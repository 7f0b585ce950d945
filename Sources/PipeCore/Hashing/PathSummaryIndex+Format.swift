import Foundation

/// The on-disk form of the path summary index: a `ChecksummedBinaryFile` of path-keyed records, written atomically.
///
/// ```
/// "PIPEPATH"  u32 version (1)  u32 reserved (0)  u64 count
/// count × { u32 path length, path UTF-8, u8 kind (0 file, 1 directory),
///           u64 fingerprint high, u64 fingerprint low, u64 file count, i64 total size, i64 newest mtime ns,
///           i64 recorded-at ns, u64 hash high, u64 hash low }
/// u64 checksum high, u64 checksum low          XXH3-128 of every byte before it
/// ```
/// Anything unexpected discards the whole file (the paths are hashed the long way once and the index rewritten):
/// a damaged index costs time, never correctness.
extension PathSummaryIndex {
    /// Format version; any other version (or a manifest format change) is treated as stale.
    public static let formatVersion: UInt32 = 1
    /// Bytes of one entry's fields after its path: the kind byte and eight u64s.
    static let fieldBytes = 1 + 64
    /// The file's frame: magic, version and the smallest record (length, a 1-byte path, the fields).
    static let fileFormat = ChecksummedBinaryFile(magic: "PIPEPATH", version: formatVersion, kind: "path summary index",
                                                  minimumRecordSize: 4 + 1 + fieldBytes)

    /// Loads the index at `url`; a missing or bad file gives an empty index and the reason.
    public static func load(from url: URL, racyWindowNanoseconds: Int64) -> (index: PathSummaryIndex, outcome: IndexLoadOutcome) {
        let (entries, outcome) = fileFormat.load(from: url, readFields: readFields)
        return (PathSummaryIndex(entries: entries, racyWindowNanoseconds: racyWindowNanoseconds), outcome)
    }

    /// Writes the index atomically to `url` and marks it clean.
    public mutating func save(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
        markClean()
    }

    /// The binary form; the same entries always give the same bytes (sorted by path bytes).
    public func encoded() -> Data {
        PathSummaryIndex.fileFormat.encode(entries, fieldBytes: PathSummaryIndex.fieldBytes) { entry, writer in
            writer.append(UInt8(entry.isDirectory ? 1 : 0))
            writer.append(entry.fingerprint.high)
            writer.append(entry.fingerprint.low)
            writer.append(UInt64(entry.fingerprint.fileCount))
            writer.append(entry.fingerprint.totalSize)
            writer.append(entry.fingerprint.latestMtimeNanoseconds)
            writer.append(entry.recordedAtNanoseconds)
            writer.append(entry.hash)
        }
    }

    /// Parses the binary form, checking every bound.
    static func decode(_ data: Data) -> Result<[String: Entry], BinaryFormatProblem> {
        fileFormat.decode(data, readFields: readFields)
    }

    private static func readFields(path: String, from reader: inout BinaryRecordReader) throws(BinaryFormatProblem) -> Entry {
        let kind: UInt8 = try reader.read()
        guard kind <= 1 else { throw BinaryFormatProblem(reason: "bad kind \(kind) for \(path)") }
        let high: UInt64 = try reader.read(), low: UInt64 = try reader.read()
        let fileCount: UInt64 = try reader.read()
        guard fileCount <= UInt64(Int.max) else { throw BinaryFormatProblem(reason: "bad file count for \(path)") }
        // arguments are evaluated left to right, so the reads below follow the file order
        let fingerprint = PathFingerprint(high: high, low: low, fileCount: Int(fileCount), totalSize: try reader.read(),
                                          latestMtimeNanoseconds: try reader.read())
        return Entry(fingerprint: fingerprint, recordedAtNanoseconds: try reader.read(), hash: try reader.readContentHash(),
                     isDirectory: kind == 1)
    }
}
