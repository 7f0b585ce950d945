import Foundation

/// What loading one of the cache's index files found. A bad file is never an error: the index starts empty, the
/// reason is reported here, and the work the index would have saved is simply done again.
public enum IndexLoadOutcome: Sendable, Equatable {
    /// No index file yet.
    case missing
    /// Read `count` entries.
    case loaded(count: Int)
    /// The file was unusable for the stated reason; starting empty.
    case discarded(reason: String)
}

/// The frame shared by the cache's binary index files (`state.index`, `paths.index`): a fixed header, records,
/// and a checksum trailer, so every index gets the same integrity checks from one place.
///
/// ```
/// magic (8 bytes)  u32 version  u32 reserved (0)  u64 record count
/// records (layout owned by each format; every field little-endian)
/// u64 checksum high, u64 checksum low          XXH3-128 of every byte before it
/// ```
/// `decode` refuses a file that is too short, has another magic or version, a wrong checksum, more records than
/// its size could hold, a read past the end, or bytes left after the last record: a damaged index is discarded
/// whole, never trusted in part.
struct ChecksummedBinaryFile: Sendable {
    /// Bytes before the first record: magic, version, reserved, count.
    static let headerSize = 24
    /// Bytes of the checksum trailer.
    static let trailerSize = 16

    /// The 8 bytes opening the file.
    let magic: [UInt8]
    /// The format version; any other version is treated as stale.
    let version: UInt32
    /// What the file is, for messages ("state index").
    let kind: String
    /// The fewest bytes one record can take, to refuse an impossible record count before allocating for it.
    let minimumRecordSize: Int

    /// A format opened by the 8-character ASCII `magic`.
    init(magic: String, version: UInt32, kind: String, minimumRecordSize: Int) {
        precondition(magic.utf8.count == 8 && minimumRecordSize > 0, "an index magic is 8 bytes, a record at least 1")
        self.magic = Array(magic.utf8)
        self.version = version
        self.kind = kind
        self.minimumRecordSize = minimumRecordSize
    }

    /// The file holding `count` records, each appended by `writeRecords`; `reservingCapacity` is a size hint.
    func encode(count: Int, reservingCapacity: Int, _ writeRecords: (inout BinaryRecordWriter) -> Void) -> Data {
        var writer = BinaryRecordWriter(format: self, count: count, reservingCapacity: reservingCapacity)
        writeRecords(&writer)
        return Data(writer.finish())
    }

    /// Checks the frame of `data`, then hands its records to `readRecords` with the record count; the reader must
    /// consume every record byte. Any problem, the frame's or one `readRecords` throws, is the failure.
    func decode<Records>(_ data: Data,
                         _ readRecords: (inout BinaryRecordReader, _ count: Int) throws(BinaryFormatProblem) -> Records)
        -> Result<Records, BinaryFormatProblem> {
        data.withUnsafeBytes { raw in
            do throws(BinaryFormatProblem) {
                return .success(try decode(raw, readRecords))
            } catch {
                return .failure(error)
            }
        }
    }

    private func decode<Records>(_ raw: UnsafeRawBufferPointer,
                                 _ readRecords: (inout BinaryRecordReader, Int) throws(BinaryFormatProblem) -> Records)
        throws(BinaryFormatProblem) -> Records {
        guard raw.count >= Self.headerSize + Self.trailerSize else {
            throw BinaryFormatProblem(reason: "truncated (\(raw.count) bytes)")
        }
        guard raw.prefix(magic.count).elementsEqual(magic) else { throw BinaryFormatProblem(reason: "not a \(kind) (bad magic)") }
        let bodyEnd = raw.count - Self.trailerSize
        let body = UnsafeRawBufferPointer(rebasing: raw[0..<bodyEnd])
        var reader = BinaryRecordReader(body, offset: magic.count)
        let fileVersion: UInt32 = try reader.read()
        guard fileVersion == version else {
            throw BinaryFormatProblem(reason: "format version \(fileVersion), want \(version)")
        }
        var trailer = BinaryRecordReader(raw, offset: bodyEnd)
        guard try trailer.readContentHash() == XXH3Hasher.hash(body) else {
            throw BinaryFormatProblem(reason: "checksum mismatch")
        }
        _ = try reader.read(UInt32.self)                           // reserved, 0 in version 1
        let count: UInt64 = try reader.read()
        guard count <= UInt64(reader.remaining / minimumRecordSize) else {
            throw BinaryFormatProblem(reason: "entry count \(count) too large")
        }
        let records = try readRecords(&reader, Int(count))
        guard reader.remaining == 0 else { throw BinaryFormatProblem(reason: "\(reader.remaining) trailing bytes") }
        return records
    }
}
