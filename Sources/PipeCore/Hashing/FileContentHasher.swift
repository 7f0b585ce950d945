import Glibc
import PipeBasics

/// Hashes one file's bytes with XXH3-128, streaming through a large reusable buffer with `read(2)`.
///
/// Large sequential reads (with `posix_fadvise(SEQUENTIAL)`) keep throughput near the hash function's own
/// speed on a warm page cache. Not thread-safe: each thread owns its own instance (the buffer is reused).
public final class FileContentHasher {
    /// Bytes per `read(2)`: 256 KiB (it stays in L2 between the kernel's copy and the hash) measured best, level
    /// with `xxhsum`, on the warm-cache benchmark (see docs/cache.md).
    public static let defaultBufferSize = 256 << 10

    private let buffer: UnsafeMutableRawBufferPointer
    private let hasher = XXH3Hasher()

    /// Files at least this large are read by `readers` threads in parallel (see `ParallelFileReader`).
    public let parallelThreshold: Int64
    /// Reader threads for large files (1, the default, disables parallel reads: on the 2-vCPU benchmark machine a
    /// single reader is already at the page-cache copy bandwidth, see docs/cache.md).
    public let readers: Int

    /// Default size above which reads go parallel: 32 MiB, where thread start-up is well amortised.
    public static let defaultParallelThreshold: Int64 = 32 << 20

    /// Creates a hasher with its own read buffer of `bufferSize` bytes; files of `parallelThreshold` bytes or
    /// more are read by `readers` threads.
    public init(bufferSize: Int = FileContentHasher.defaultBufferSize, readers: Int = 1,
                parallelThreshold: Int64 = FileContentHasher.defaultParallelThreshold) {
        precondition(bufferSize > 0 && readers > 0, "buffer size and readers must be positive")
        buffer = .allocate(byteCount: bufferSize, alignment: 4096)
        self.readers = readers
        self.parallelThreshold = parallelThreshold
    }

    deinit { buffer.deallocate() }

    /// The hash and byte count of the file at `path` (symlinks followed); throws `PipeError(.io)` naming
    /// the path when it cannot be opened or read.
    public func hashFile(atPath path: String) throws(PipeError) -> (hash: ContentHash, size: Int64, status: FileStatus) {
        let fd: Int32
        do { fd = try SystemCall.open(path, O_RDONLY) } catch {
            throw PipeError.io("cannot open file to hash it", path: path, underlying: error,
                               fix: "check the file exists and is readable")
        }
        defer { SystemCall.close(fd) }
        do {
            let status = try SystemCall.status(of: fd)
            if readers > 1 && status.size >= parallelThreshold {
                SystemCall.adviseSequential(fd)
                hasher.reset()
                let reader = ParallelFileReader(readers: readers, chunkSize: buffer.count,
                                                slots: readers * 4)
                let size = try reader.hash(descriptor: fd, into: hasher)
                return (hasher.finalize(), size, status)
            }
            let (hash, size) = try hash(descriptor: fd)
            return (hash, size, status)
        } catch {
            throw PipeError.io("cannot read file to hash it", path: path, underlying: error,
                               fix: "check the file is a readable regular file")
        }
    }

    /// Hashes everything readable from an open descriptor, from its current offset to end of file.
    func hash(descriptor fd: Int32) throws(SystemCallError) -> (ContentHash, Int64) {
        SystemCall.adviseSequential(fd)
        hasher.reset()
        var total: Int64 = 0
        while true {
            let n = try SystemCall.read(fd, into: buffer)
            if n == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += Int64(n)
        }
        return (hasher.finalize(), total)
    }
}
