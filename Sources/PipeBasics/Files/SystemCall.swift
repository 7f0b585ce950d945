import Glibc

/// A failed POSIX call: which function, on which path, and `errno`, so the error names the cause precisely.
public struct SystemCallError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The C function that failed (`open`, `fstatat`, `rename` …).
    public var function: String
    /// The path it was called on (the first one for two-path calls such as `rename`), when it had one.
    public var path: String?
    /// The `errno` value it left.
    public var errno: Int32

    /// The failure of `function` on `path` with `errno`.
    public init(_ function: String, path: String? = nil, errno: Int32) {
        self.function = function
        self.path = path
        self.errno = errno
    }

    /// `function path: message (errno N)`.
    public var description: String {
        "\(function)\(path.map { " " + $0 } ?? ""): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// The metadata of a file system entry that hashing and the state index care about (from `stat(2)`).
public struct FileStatus: Sendable, Hashable {
    /// `st_dev`.
    public var device: UInt64
    /// `st_ino`.
    public var inode: UInt64
    /// `st_mode`: type and permission bits.
    public var mode: UInt32
    /// `st_size` in bytes.
    public var size: Int64
    /// Modification time in nanoseconds since the epoch.
    public var mtimeNanoseconds: Int64
    /// Status-change time in nanoseconds since the epoch.
    public var ctimeNanoseconds: Int64

    /// A status built from its fields (for tests and tools that do not stat).
    public init(device: UInt64 = 0, inode: UInt64, mode: UInt32 = UInt32(S_IFREG) | 0o644, size: Int64,
                mtimeNanoseconds: Int64, ctimeNanoseconds: Int64 = 0) {
        self.device = device
        self.inode = inode
        self.mode = mode
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.ctimeNanoseconds = ctimeNanoseconds
    }

    /// The fields of a `stat` record.
    public init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        mode = UInt32(st.st_mode)
        size = Int64(st.st_size)
        mtimeNanoseconds = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        ctimeNanoseconds = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }

    /// Whether this is a directory.
    public var isDirectory: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFDIR) }
    /// Whether this is a regular file.
    public var isRegularFile: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFREG) }
    /// Whether this is a symbolic link (only seen when not following links).
    public var isSymbolicLink: Bool { mode & UInt32(S_IFMT) == UInt32(S_IFLNK) }
    /// Whether the owner may execute it: the bit a directory manifest records.
    public var isExecutable: Bool { mode & UInt32(S_IXUSR) != 0 }
}

/// Thin wrappers over the POSIX calls the project makes; each turns a failure into a typed error naming the
/// function and the path right where it happens, so no other file calls Glibc for files directly.
public enum SystemCall {
    /// `open(2)`, retried on EINTR.
    public static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws(SystemCallError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if Glibc.errno != EINTR { throw SystemCallError("open", path: path, errno: Glibc.errno) }
        }
    }

    /// `fstatat(2)` relative to `directory` (or `AT_FDCWD`); nil when the entry does not exist.
    public static func status(_ path: String, relativeTo directory: Int32 = AT_FDCWD,
                       followSymlinks: Bool = true) throws(SystemCallError) -> FileStatus? {
        var st = stat()
        let flags: Int32 = followSymlinks ? 0 : AT_SYMLINK_NOFOLLOW
        if fstatat(directory, path, &st, flags) == 0 { return FileStatus(st) }
        let e = Glibc.errno
        if e == ENOENT || e == ENOTDIR { return nil }
        throw SystemCallError("fstatat", path: path, errno: e)
    }

    /// `fstat(2)` of an open descriptor.
    public static func status(of fd: Int32, path: String? = nil) throws(SystemCallError) -> FileStatus {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SystemCallError("fstat", path: path, errno: Glibc.errno) }
        return FileStatus(st)
    }

    /// `read(2)` filling as much of `buffer` as the file holds, retried on EINTR; 0 at end of file.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer,
                            path: String? = nil) throws(SystemCallError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if Glibc.errno != EINTR { throw SystemCallError("read", path: path, errno: Glibc.errno) }
        }
    }

    /// `write(2)` of the whole buffer, looping over short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer,
                                path: String? = nil) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemCallError("write", path: path, errno: Glibc.errno)
            }
            offset += n
        }
    }

    /// `fsync(2)`.
    public static func sync(_ fd: Int32, path: String? = nil) throws(SystemCallError) {
        guard fsync(fd) == 0 else { throw SystemCallError("fsync", path: path, errno: Glibc.errno) }
    }

    /// `fsync(2)` of a directory so a rename inside it survives a power loss; best effort on file systems
    /// that refuse to sync directories.
    public static func syncDirectory(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        Glibc.close(fd)
    }

    /// `rename(2)`.
    public static func rename(_ from: String, _ to: String) throws(SystemCallError) {
        guard Glibc.rename(from, to) == 0 else { throw SystemCallError("rename", path: from, errno: Glibc.errno) }
    }

    /// `mkdir(2)` of every missing component of `path`.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
        if mkdir(path, mode) == 0 { return }
        let e = Glibc.errno
        if e == EEXIST { return }
        guard e == ENOENT else { throw SystemCallError("mkdir", path: path, errno: e) }
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        guard !parent.isEmpty, parent != path else { throw SystemCallError("mkdir", path: path, errno: e) }
        try makeDirectories(parent, mode: mode)
        if mkdir(path, mode) != 0 && Glibc.errno != EEXIST { throw SystemCallError("mkdir", path: path, errno: Glibc.errno) }
    }

    /// `fchmod(2)`.
    public static func changeMode(_ fd: Int32, _ mode: mode_t, path: String? = nil) throws(SystemCallError) {
        guard fchmod(fd, mode) == 0 else { throw SystemCallError("fchmod", path: path, errno: Glibc.errno) }
    }

    /// `chmod(2)` of a path.
    public static func changeMode(_ path: String, _ mode: mode_t) throws(SystemCallError) {
        guard chmod(path, mode) == 0 else { throw SystemCallError("chmod", path: path, errno: Glibc.errno) }
    }

    /// `close(2)`; the descriptor is gone whatever it returns, so nothing is thrown (Linux never retries it).
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// `unlink(2)` of a file; a file already gone is not an error.
    public static func removeFile(_ path: String) throws(SystemCallError) {
        guard unlink(path) == 0 || Glibc.errno == ENOENT else {
            throw SystemCallError("unlink", path: path, errno: Glibc.errno)
        }
    }

    /// `unlink(2)` for clean-up paths where a failure changes nothing the caller could act on (a temp file).
    public static func removeFileIfPresent(_ path: String) {
        _ = unlink(path)
    }

    /// `rmdir(2)` of a directory if it is empty; whether it was removed.
    @discardableResult
    public static func removeEmptyDirectory(_ path: String) -> Bool {
        rmdir(path) == 0
    }

    /// `link(2)`: a hard link `destination` to `source`.
    public static func hardLink(_ source: String, _ destination: String) throws(SystemCallError) {
        guard Glibc.link(source, destination) == 0 else {
            throw SystemCallError("link", path: destination, errno: Glibc.errno)
        }
    }

    /// `ioctl(FICLONE)`: makes `destination` (open for writing) a copy-on-write clone of `source`.
    public static func clone(_ source: Int32, into destination: Int32, path: String? = nil) throws(SystemCallError) {
        let ficlone: UInt = 0x4004_9409   // _IOW(0x94, 9, int) from <linux/fs.h>
        guard ioctl(destination, ficlone, source) == 0 else {
            throw SystemCallError("ioctl(FICLONE)", path: path, errno: Glibc.errno)
        }
    }

    /// Copies everything from `source` (at its offset) to `destination`: `sendfile(2)` in the kernel, `read`/`write`
    /// through a 1 MiB buffer where the file system refuses it (EINVAL, ENOSYS).
    public static func copyContents(from source: Int32, to destination: Int32,
                                    path: String? = nil) throws(SystemCallError) {
        while true {
            let n = sendfile(destination, source, nil, 1 << 30)
            if n > 0 { continue }
            if n == 0 { return }
            let e = Glibc.errno
            if e == EINTR { continue }
            if e == EINVAL || e == ENOSYS { break }
            throw SystemCallError("sendfile", path: path, errno: e)
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let n = try read(source, into: buffer, path: path)
            if n == 0 { return }
            try writeAll(destination, UnsafeRawBufferPointer(rebasing: buffer[0..<n]), path: path)
        }
    }

    /// `pread(2)` filling `buffer` from `offset` (short only at end of file), retried on EINTR; the bytes read.
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64,
                            path: String? = nil) throws(SystemCallError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n == 0 { break }
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemCallError("pread", path: path, errno: Glibc.errno)
            }
            done += n
        }
        return done
    }

    /// `posix_fadvise(POSIX_FADV_SEQUENTIAL)` over the whole file: a hint for read-ahead, so failure is ignored.
    public static func adviseSequential(_ fd: Int32) {
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    /// `flock(LOCK_EX | LOCK_NB)`: takes the exclusive advisory lock on `fd` if nobody holds it; whether it did
    /// (the kernel drops the lock when the process dies, so a crash never leaves it held).
    public static func tryLockExclusive(_ fd: Int32) -> Bool {
        flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    /// `flock(LOCK_UN)`: releases the lock taken by `tryLockExclusive` (closing the descriptor also does).
    public static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    /// `ftruncate(2)` to `length` bytes.
    public static func truncate(_ fd: Int32, to length: Int64 = 0, path: String? = nil) throws(SystemCallError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw SystemCallError("ftruncate", path: path, errno: Glibc.errno) }
    }

    /// `pwrite(2)` of the whole buffer at `offset`, looping over short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64,
                                path: String? = nil) throws(SystemCallError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemCallError("pwrite", path: path, errno: Glibc.errno)
            }
            done += n
        }
    }

    /// The process id (`getpid(2)`), for temp-file names that never collide between processes.
    public static var processID: Int32 { getpid() }

    /// A fresh hidden name next to `path` for a temp file: `.name.<label>-<pid>-<random>` in the same directory,
    /// so a rename into place stays on one file system and concurrent writers never collide.
    public static func temporarySibling(of path: String, label: String = "tmp") -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        return String(path[..<slash]) + ".\(path[slash...]).\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Removes a file, or a directory tree bottom-up (made writable first, since cached files are read-only).
    public static func removeTree(_ path: String) throws(SystemCallError) {
        guard let st = try status(path, followSymlinks: false) else { return }
        if st.isDirectory {
            _ = chmod(path, 0o755)
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || Glibc.errno == ENOENT else { throw SystemCallError("rmdir", path: path, errno: Glibc.errno) }
        } else {
            guard unlink(path) == 0 || Glibc.errno == ENOENT else { throw SystemCallError("unlink", path: path, errno: Glibc.errno) }
        }
    }

    /// Names in a directory, without `.` and `..` (through `DirectoryStream`: `opendir`/`readdir`).
    public static func listDirectory(_ path: String) throws(SystemCallError) -> [String] {
        let stream = try DirectoryStream(path: path)
        defer { stream.close() }
        do { return try stream.names(path: path) } catch let error as SystemCallError { throw error } catch {
            preconditionFailure("DirectoryStream.names throws only SystemCallError")
        }
    }

    /// Wall-clock time in nanoseconds (`clock_gettime(CLOCK_REALTIME)`), the clock file timestamps use.
    public static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
