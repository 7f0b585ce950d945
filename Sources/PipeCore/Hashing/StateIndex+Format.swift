import Foundation

/// The on-disk form of the state index: a `ChecksummedBinaryFile` of path-keyed records, written atomically.
///
/// ```
/// "PIPESTAT"  u32 version (1)  u32 reserved (0)  u64 count
/// count × { u32 path length, path UTF-8, u64 inode, i64 size, i64 mtime ns, i64 hashed-at ns, u64 hash high, u64 hash low }
/// u64 checksum high, u64 checksum low          XXH3-128 of every byte before it
/// ```
/// A file that is truncated, has a wrong magic/version/checksum or any out-of-bounds field is discarded and
/// the index starts empty (everything is re-read once): a damaged index costs time, never correctness.
extension StateIndex {
    /// Format version; a different version is treated as stale and rebuilt.
    public static let formatVersion: UInt32 = 1
    /// Bytes of one entry's fields after its path.
    static let fieldBytes = 48
    /// The file's frame: magic, version and the smallest record (length, a 1-byte path, the fields).
    static let fileFormat = ChecksummedBinaryFile(magic: "PIPESTAT", version: formatVersion, kind: "state index",
                                                  minimumRecordSize: 4 + 1 + fieldBytes)

    /// What `load` found (shared with the path summary index).
    public typealias LoadOutcome = IndexLoadOutcome
    /// Why the binary form was refused.
    typealias FormatProblem = BinaryFormatProblem

    /// Loads the index at `url`; never throws for a bad file, it reports it in the outcome and starts empty.
    public static func load(from url: URL, racyWindowNanoseconds: Int64 = defaultRacyWindowNanoseconds)
        -> (index: StateIndex, outcome: LoadOutcome) {
        let (entries, outcome) = fileFormat.load(from: url, readFields: readFields)
        return (StateIndex(entries: entries, racyWindowNanoseconds: racyWindowNanoseconds), outcome)
    }

    /// Writes the index atomically to `url` (temp file, fsync, rename) and marks it clean.
    public mutating func save(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
        markClean()
    }

    /// The binary form; the same entries always give the same bytes (sorted by path bytes).
    public func encoded() -> Data {
        StateIndex.fileFormat.encode(entries, fieldBytes: StateIndex.fieldBytes) { entry, writer in
            writer.append(entry.inode)
            writer.append(entry.size)
            writer.append(entry.mtimeNanoseconds)
            writer.append(entry.hashedAtNanoseconds)
            writer.append(entry.hash)
        }
    }

    /// Parses the binary form, checking every bound.
    static func decode(_ data: Data) -> Result<[String: Entry], FormatProblem> {
        fileFormat.decode(data, readFields: readFields)
    }

    private static func readFields(path: String, from reader: inout BinaryRecordReader) throws(FormatProblem) -> Entry {
        // arguments are evaluated left to right, so this reads the fields in file order
        Entry(inode: try reader.read(), size: try reader.read(), mtimeNanoseconds: try reader.read(),
              hashedAtNanoseconds: try reader.read(), hash: try reader.readContentHash())
    }
}
