import PipeBasics

/// An order-independent digest of the metadata of every file a hash was computed from: for each file, the
/// XXH3-128 of (path relative to the hashed path, device, inode, mode, size, mtime ns), summed modulo 2¹²⁸.
///
/// Two walks give the same fingerprint exactly when they saw the same set of files with the same metadata
/// (up to a 128-bit collision), whatever order they listed them in, so a walk can run on several threads and
/// skip sorting. It is what `PathSummaryIndex` keys a path's known hash on: the same trust as the per-file
/// state index, which already takes (inode, mtime, size) as proof that content did not change.
public struct PathFingerprint: Sendable, Hashable {
    /// High 64 bits of the sum.
    public var high: UInt64 = 0
    /// Low 64 bits of the sum.
    public var low: UInt64 = 0
    /// Number of files added.
    public var fileCount = 0
    /// Sum of the files' sizes.
    public var totalSize: Int64 = 0
    /// The newest mtime (ns) among the files, for the racy-clean rule; `Int64.min` when empty.
    public var latestMtimeNanoseconds = Int64.min

    /// The fingerprint of no files.
    public init() {}

    /// A fingerprint from its stored fields.
    public init(high: UInt64, low: UInt64, fileCount: Int, totalSize: Int64, latestMtimeNanoseconds: Int64) {
        self.high = high
        self.low = low
        self.fileCount = fileCount
        self.totalSize = totalSize
        self.latestMtimeNanoseconds = latestMtimeNanoseconds
    }

    /// Adds one file: `path` is its UTF-8 path relative to the hashed path (empty for a lone file).
    public mutating func add(path: UnsafeRawBufferPointer, status: FileStatus) {
        let recordSize = path.count + 1 + 6 * 8
        withUnsafeTemporaryAllocation(byteCount: recordSize, alignment: 8) { buffer in
            if let base = path.baseAddress, path.count > 0 {
                buffer.baseAddress!.copyMemory(from: base, byteCount: path.count)
            }
            buffer[path.count] = 0          // names cannot hold NUL, so the fields cannot be confused with a name
            let at = path.count + 1           // fields stored one by one: no array per file
            buffer.storeBytes(of: status.device.littleEndian, toByteOffset: at, as: UInt64.self)
            buffer.storeBytes(of: status.inode.littleEndian, toByteOffset: at + 8, as: UInt64.self)
            buffer.storeBytes(of: UInt64(status.mode).littleEndian, toByteOffset: at + 16, as: UInt64.self)
            buffer.storeBytes(of: UInt64(bitPattern: status.size).littleEndian, toByteOffset: at + 24, as: UInt64.self)
            buffer.storeBytes(of: UInt64(bitPattern: status.mtimeNanoseconds).littleEndian, toByteOffset: at + 32,
                              as: UInt64.self)
            buffer.storeBytes(of: UInt64(0), toByteOffset: at + 40, as: UInt64.self)   // reserved
            let digest = XXH3Hasher.hash(UnsafeRawBufferPointer(rebasing: buffer[0..<recordSize]))
            addDigest(high: digest.high, low: digest.low)
        }
        fileCount += 1
        totalSize &+= status.size
        latestMtimeNanoseconds = max(latestMtimeNanoseconds, status.mtimeNanoseconds)
    }

    /// The fingerprint of a path that is one regular file (its relative path is empty).
    static func loneFile(_ status: FileStatus) -> PathFingerprint {
        var fingerprint = PathFingerprint()
        fingerprint.add(path: UnsafeRawBufferPointer(start: nil, count: 0), status: status)
        return fingerprint
    }

    /// Adds one file whose relative path is a `String`.
    public mutating func add(path: String, status: FileStatus) {
        var path = path
        path.withUTF8 { add(path: UnsafeRawBufferPointer($0), status: status) }
    }

    /// Adds every file of another fingerprint (a subtree walked on another thread).
    public mutating func merge(_ other: PathFingerprint) {
        addDigest(high: other.high, low: other.low)
        fileCount += other.fileCount
        totalSize &+= other.totalSize
        latestMtimeNanoseconds = max(latestMtimeNanoseconds, other.latestMtimeNanoseconds)
    }

    /// Whether two walks saw the same files with the same metadata.
    public func sameFiles(as other: PathFingerprint) -> Bool {
        high == other.high && low == other.low && fileCount == other.fileCount && totalSize == other.totalSize
    }

    private mutating func addDigest(high h: UInt64, low l: UInt64) {
        let (sum, carry) = low.addingReportingOverflow(l)
        low = sum
        high = high &+ h &+ (carry ? 1 : 0)
    }
}
