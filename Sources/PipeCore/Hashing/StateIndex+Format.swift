import Foundation

/// The on-disk form of the state index: compact binary, little-endian, checksummed, written atomically.
///
/// ```
/// "PIPESTAT"  u32 version (1)  u32 reserved (0)  u64 count
/// count × { u32 path length, path UTF-8, u64 inode, i64 size, i64 mtime ns, i64 hashed-at ns, u64 hash high, u64 hash low }
/// u64 checksum high, u64 checksum low          XXH3-128 of every byte before it
/// ```
/// A file that is truncated, has a wrong magic/version/checksum or any out-of-bounds field is discarded and
/// the index starts empty (everything is re-read once): a damaged index costs time, never correctness.
extension StateIndex {
    /// Magic bytes opening the file.
    static let magic = Array("PIPESTAT".utf8)
    /// Format version; a different version is treated as stale and rebuilt.
    public static let formatVersion: UInt32 = 1

    /// What `load` found.
    public enum LoadOutcome: Sendable, Equatable {
        /// No index file yet.
        case missing
        /// Read `count` entries.
        case loaded(count: Int)
        /// The file was unusable for the stated reason; starting empty.
        case discarded(reason: String)
    }

    /// Loads the index at `url`; never throws for a bad file, it reports it in the outcome and starts empty.
    public static func load(from url: URL, racyWindowNanoseconds: Int64 = defaultRacyWindowNanoseconds)
        -> (index: StateIndex, outcome: LoadOutcome) {
        var index = StateIndex(racyWindowNanoseconds: racyWindowNanoseconds)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            if !FileManager.default.fileExists(atPath: url.path) { return (index, .missing) }
            return (index, .discarded(reason: "unreadable: \(error)"))
        }
        switch decode(data) {
        case let .success(entries):
            index = StateIndex(entries: entries, racyWindowNanoseconds: racyWindowNanoseconds)
            return (index, .loaded(count: entries.count))
        case let .failure(problem):
            return (index, .discarded(reason: problem.reason))
        }
    }

    /// Writes the index atomically to `url` (temp file, fsync, rename) and marks it clean.
    public mutating func save(to url: URL) throws {
        try AtomicFile.write(encoded(), to: url)
        markClean()
    }

    /// The binary form.
    public func encoded() -> Data {
        var out = [UInt8]()
        out.reserveCapacity(24 + entries.count * 72 + 16)
        out.append(contentsOf: StateIndex.magic)
        append(StateIndex.formatVersion, to: &out)
        append(UInt32(0), to: &out)
        append(UInt64(entries.count), to: &out)
        for path in entries.keys.sorted(by: DirectoryManifest.precedes) {
            let e = entries[path]!
            append(UInt32(path.utf8.count), to: &out)
            out.append(contentsOf: path.utf8)
            append(e.inode, to: &out)
            append(UInt64(bitPattern: e.size), to: &out)
            append(UInt64(bitPattern: e.mtimeNanoseconds), to: &out)
            append(UInt64(bitPattern: e.hashedAtNanoseconds), to: &out)
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

    struct FormatProblem: Error { var reason: String }

    /// Parses the binary form, checking every bound.
    static func decode(_ data: Data) -> Result<[String: Entry], FormatProblem> {
        data.withUnsafeBytes { raw -> Result<[String: Entry], FormatProblem> in
            let headerSize = 24, trailerSize = 16, fixedEntrySize = 4 + 48
            guard raw.count >= headerSize + trailerSize else { return .failure(.init(reason: "truncated (\(raw.count) bytes)")) }
            guard raw.prefix(8).elementsEqual(magic) else { return .failure(.init(reason: "not a state index (bad magic)")) }
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
                guard length > 0, at + length + 48 <= body else { return .failure(.init(reason: "truncated entry")) }
                let path = String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)]), as: UTF8.self)
                at += length
                let entry = Entry(inode: u64(at), size: Int64(bitPattern: u64(at + 8)),
                                  mtimeNanoseconds: Int64(bitPattern: u64(at + 16)),
                                  hashedAtNanoseconds: Int64(bitPattern: u64(at + 24)),
                                  hash: ContentHash(high: u64(at + 32), low: u64(at + 40)))
                at += 48
                entries[path] = entry
            }
            guard at == body else { return .failure(.init(reason: "\(body - at) trailing bytes")) }
            return .success(entries)
        }
    }
}
