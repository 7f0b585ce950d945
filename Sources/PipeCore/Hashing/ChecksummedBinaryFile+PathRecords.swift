import Foundation

/// Path-keyed records, the shape of both index files: each record is a u32 path length, the path's UTF-8 bytes,
/// then the entry's fields, whose layout the index supplies (`writeFields` / `readFields`).
///
/// Records are written sorted by path bytes (`DirectoryManifest.precedes`), so the same entries always give the
/// same bytes. A record with an empty or repeated path is refused: the writer never produces one.
extension ChecksummedBinaryFile {
    /// The file holding `entries`; `fieldBytes` is the size of one entry's fields, for the capacity hint.
    func encode<Entry>(_ entries: [String: Entry], fieldBytes: Int,
                       writeFields: (Entry, inout BinaryRecordWriter) -> Void) -> Data {
        let assumedPathBytes = 32                                  // a guess for the hint, not a limit
        let capacity = Self.headerSize + entries.count * (4 + assumedPathBytes + fieldBytes) + Self.trailerSize
        return encode(count: entries.count, reservingCapacity: capacity) { writer in
            for path in entries.keys.sorted(by: DirectoryManifest.precedes) {
                writer.appendLengthPrefixed(path)
                writeFields(entries[path]!, &writer)
            }
        }
    }

    /// Parses a file written by `encode`, reading each entry's fields with `readFields` (handed the record's
    /// path, for its messages).
    func decode<Entry>(_ data: Data,
                       readFields: (String, inout BinaryRecordReader) throws(BinaryFormatProblem) -> Entry)
        -> Result<[String: Entry], BinaryFormatProblem> {
        decode(data) { (reader, count) throws(BinaryFormatProblem) in
            var entries = [String: Entry](minimumCapacity: count)
            for _ in 0..<count {
                let path = try reader.readLengthPrefixedString()
                guard !path.isEmpty else { throw BinaryFormatProblem(reason: "empty path") }
                let entry = try readFields(path, &reader)
                guard entries.updateValue(entry, forKey: path) == nil else {
                    throw BinaryFormatProblem(reason: "duplicate path \(path)")
                }
            }
            return entries
        }
    }

    /// Loads the file at `url`: its entries and `.loaded`, or no entries and `.missing` when there is no file, or
    /// no entries and `.discarded` with the reason when it cannot be read or `decode` refuses it.
    func load<Entry>(from url: URL,
                     readFields: (String, inout BinaryRecordReader) throws(BinaryFormatProblem) -> Entry)
        -> (entries: [String: Entry], outcome: IndexLoadOutcome) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return ([:], .missing) }
            return ([:], .discarded(reason: "unreadable: \(error)"))
        }
        switch decode(data, readFields: readFields) {
        case let .success(entries): return (entries, .loaded(count: entries.count))
        case let .failure(problem): return ([:], .discarded(reason: problem.reason))
        }
    }
}
