import Glibc

/// A failed POSIX call: which function, on which path, and `errno`, so the error names the cause precisely.
public struct SystemCallError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The C function that failed (`open`, `fstatat`, `rename` …).
    public var function: String
    /// The `errno` value it left.
    public var errno: Int32

    /// The failure of `function` with `errno`.
    public init(_ function: String, errno: Int32) {
        self.function = function
        self.errno = errno
    }

    /// `function: message (errno N)`.
    public var description: String { "\(function): \(String(cString: strerror(errno))) (errno \(errno))" }
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

    init(_ st: stat) {
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

/// Thin wrappers over the POSIX calls hashing and the store make; each turns a failure into a typed error
/// naming the path right where it happens.
enum SystemCall {
    /// `open(2)`, retried on EINTR.
    static func open(_ path: String, _ flags: Int32, _ mode: mode_t = 0) throws(SystemCallError) -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if Glibc.errno != EINTR { throw SystemCallError("open", errno: Glibc.errno) }
        }
    }

    /// `fstatat(2)` relative to `directory` (or `AT_FDCWD`); nil when the entry does not exist.
    static func status(_ path: String, relativeTo directory: Int32 = AT_FDCWD,
                       followSymlinks: Bool = true) throws(SystemCallError) -> FileStatus? {
        var st = stat()
        let flags: Int32 = followSymlinks ? 0 : AT_SYMLINK_NOFOLLOW
        if fstatat(directory, path, &st, flags) == 0 { return FileStatus(st) }
        let e = Glibc.errno
        if e == ENOENT || e == ENOTDIR { return nil }
        throw SystemCallError("fstatat", errno: e)
    }

    /// `fstat(2)` of an open descriptor.
    static func status(of fd: Int32) throws(SystemCallError) -> FileStatus {
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw SystemCallError("fstat", errno: Glibc.errno) }
        return FileStatus(st)
    }

    /// `read(2)` filling as much of `buffer` as the file holds, retried on EINTR; 0 at end of file.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            if Glibc.errno != EINTR { throw SystemCallError("read", errno: Glibc.errno) }
        }
    }

    /// `write(2)` of the whole buffer, looping over short writes and EINTR.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw SystemCallError("write", errno: Glibc.errno)
            }
            offset += n
        }
    }

    /// `fsync(2)`.
    static func sync(_ fd: Int32) throws(SystemCallError) {
        guard fsync(fd) == 0 else { throw SystemCallError("fsync", errno: Glibc.errno) }
    }

    /// `fsync(2)` of a directory so a rename inside it survives a power loss; best effort on file systems
    /// that refuse to sync directories.
    static func syncDirectory(_ path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        Glibc.close(fd)
    }

    /// `rename(2)`.
    static func rename(_ from: String, _ to: String) throws(SystemCallError) {
        guard Glibc.rename(from, to) == 0 else { throw SystemCallError("rename", errno: Glibc.errno) }
    }

    /// `mkdir(2)` of every missing component of `path`.
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemCallError) {
        if mkdir(path, mode) == 0 { return }
        let e = Glibc.errno
        if e == EEXIST { return }
        guard e == ENOENT else { throw SystemCallError("mkdir", errno: e) }
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        guard !parent.isEmpty, parent != path else { throw SystemCallError("mkdir", errno: e) }
        try makeDirectories(parent, mode: mode)
        if mkdir(path, mode) != 0 && Glibc.errno != EEXIST { throw SystemCallError("mkdir", errno: Glibc.errno) }
    }

    /// `fchmod(2)`.
    static func changeMode(_ fd: Int32, _ mode: mode_t) throws(SystemCallError) {
        guard fchmod(fd, mode) == 0 else { throw SystemCallError("fchmod", errno: Glibc.errno) }
    }

    /// Removes a file, or a directory tree bottom-up (made writable first, since cached files are read-only).
    static func removeTree(_ path: String) throws(SystemCallError) {
        guard let st = try status(path, followSymlinks: false) else { return }
        if st.isDirectory {
            _ = chmod(path, 0o755)
            for name in try listDirectory(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 || Glibc.errno == ENOENT else { throw SystemCallError("rmdir", errno: Glibc.errno) }
        } else {
            guard unlink(path) == 0 || Glibc.errno == ENOENT else { throw SystemCallError("unlink", errno: Glibc.errno) }
        }
    }

    /// Names in a directory, without `.` and `..` (wraps `opendir`/`readdir`).
    static func listDirectory(_ path: String) throws(SystemCallError) -> [String] {
        guard let dir = opendir(path) else { throw SystemCallError("opendir", errno: Glibc.errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Wall-clock time in nanoseconds (`clock_gettime(CLOCK_REALTIME)`), the clock file timestamps use.
    static func nowNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
