import Foundation

/// The on-disk form of the path summary index: compact binary, little-endian, checksummed, written atomically.
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
    static let magic = Array("PIPEPATH".utf8)
    /// Format version; any other version (or a manifest format change) is treated as stale.
    public static let formatVersion: UInt32 = 1
    static let fixedEntrySize = 4 + 1 + 64

    /// Loads the index at `url`; a missing or bad file gives an empty index and the reason.
    public static func load(from url: URL, racyWindowNanoseconds: Int64) -> (index: PathSummaryIndex, outcome: StateIndex.LoadOutcome) {
        let empty = PathSummaryIndex(racyWindowNanoseconds: racyWindowNanoseconds)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return (empty, .missing) }
            return (empty, .discarded(reason: "unreadable: \(error)"))
        }
        switch decode(data) {
        case let .success(entries):
            return (PathSummaryIndex(entries: entries, racyWindowNanoseconds: racyWindowNanoseconds), .loaded(count: entries.count))
        case let .failure(problem):
            return (empty, .discarded(reason: problem.reason))
        }
    }

    /// Writes the index atomically to `url` and marks it clean.
    public mutating func save(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
        markClean()
    }

    /// The binary form; the same entries always give the same bytes (sorted by path bytes).
    public func encoded() -> Data {
        var out = [UInt8]()
        out.reserveCapacity(24 + entries.count * 100 + 16)
        out.append(contentsOf: PathSummaryIndex.magic)
        append(PathSummaryIndex.formatVersion, to: &out)
        append(UInt32(0), to: &out)
        append(UInt64(entries.count), to: &out)
        for path in entries.keys.sorted(by: DirectoryManifest.precedes) {
            let e = entries[path]!
            append(UInt32(path.utf8.count), to: &out)
            out.append(contentsOf: path.utf8)
            out.append(e.isDirectory ? 1 : 0)
            append(e.fingerprint.high, to: &out)
            append(e.fingerprint.low, to: &out)
            append(UInt64(e.fingerprint.fileCount), to: &out)
            append(UInt64(bitPattern: e.fingerprint.totalSize), to: &out)
            append(UInt64(bitPattern: e.fingerprint.latestMtimeNanoseconds), to: &out)
            append(UInt64(bitPattern: e.recordedAtNanoseconds), to: &out)
            append(e.hash.high, to: &out)
            append(e.hash.low, to: &out)
        }
        let checksum = XXH3Hasher.hash(out)
        append(checksum.high, to: &out)
        append(checksum.low, to: &out)
        return Data(out)
    }

    private func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    /// Parses the binary form, checking every bound.
    static func decode(_ data: Data) -> Result<[String: Entry], StateIndex.FormatProblem> {
        data.withUnsafeBytes { raw -> Result<[String: Entry], StateIndex.FormatProblem> in
            let headerSize = 24, trailerSize = 16
            guard raw.count >= headerSize + trailerSize else { return .failure(.init(reason: "truncated (\(raw.count) bytes)")) }
            guard raw.prefix(8).elementsEqual(magic) else { return .failure(.init(reason: "not a path summary index (bad magic)")) }
            func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
            func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
            let version = u32(8)
            guard version == formatVersion else { return .failure(.init(reason: "format version \(version), want \(formatVersion)")) }
            let body = raw.count - trailerSize
            let sum = XXH3Hasher.hash(UnsafeRawBufferPointer(rebasing: raw[0..<body]))
            guard sum.high == u64(body), sum.low == u64(body + 8) else { return .failure(.init(reason: "checksum mismatch")) }
            let count = u64(16)
            guard count <= UInt64(body / fixedEntrySize) else { return .failure(.init(reason: "entry count \(count) too large")) }
            var entries = [String: Entry](minimumCapacity: Int(count))
            var at = headerSize
            for _ in 0..<Int(count) {
                guard at + 4 <= body else { return .failure(.init(reason: "truncated entry")) }
                let length = Int(u32(at))
                at += 4
                guard length > 0, at + length + 65 <= body else { return .failure(.init(reason: "truncated entry")) }
                let path = String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)]), as: UTF8.self)
                at += length
                let kind = raw[at]
                guard kind <= 1 else { return .failure(.init(reason: "bad kind \(kind) for \(path)")) }
                at += 1
                let fileCount = u64(at + 16)
                guard fileCount <= UInt64(Int.max) else { return .failure(.init(reason: "bad file count for \(path)")) }
                let fingerprint = PathFingerprint(high: u64(at), low: u64(at + 8), fileCount: Int(fileCount),
                                                  totalSize: Int64(bitPattern: u64(at + 24)),
                                                  latestMtimeNanoseconds: Int64(bitPattern: u64(at + 32)))
                entries[path] = Entry(fingerprint: fingerprint, recordedAtNanoseconds: Int64(bitPattern: u64(at + 40)),
                                      hash: ContentHash(high: u64(at + 48), low: u64(at + 56)), isDirectory: kind == 1)
                at += 64
            }
            guard at == body else { return .failure(.init(reason: "\(body - at) trailing bytes")) }
            return .success(entries)
        }
    }
}
