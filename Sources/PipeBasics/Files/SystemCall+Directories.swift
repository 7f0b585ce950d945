import Glibc

extension SystemCall {
    /// `open(2)` of a directory for reading (`O_DIRECTORY`), for `*at` calls relative to it.
    public static func openDirectory(_ path: String) throws(SystemCallError) -> Int32 {
        try open(path, O_RDONLY | O_DIRECTORY)
    }

    /// `openat(2)` of the subdirectory `name` (a C string) of the directory open at `parent`, not following links.
    public static func openDirectory(named name: UnsafePointer<CChar>,
                                     relativeTo parent: Int32) throws(SystemCallError) -> Int32 {
        while true {
            let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd >= 0 { return fd }
            if Glibc.errno != EINTR { throw SystemCallError("openat", path: String(cString: name), errno: Glibc.errno) }
        }
    }

    /// `fstatat(2)` of `name` (a C string) in the directory open at `directory`; nil when it does not exist.
    public static func status(named name: UnsafePointer<CChar>, relativeTo directory: Int32,
                              followSymlinks: Bool) throws(SystemCallError) -> FileStatus? {
        var st = stat()
        if fstatat(directory, name, &st, followSymlinks ? 0 : AT_SYMLINK_NOFOLLOW) == 0 { return FileStatus(st) }
        let e = Glibc.errno
        if e == ENOENT || e == ENOTDIR { return nil }
        throw SystemCallError("fstatat", path: String(cString: name), errno: e)
    }

    /// `syncfs(2)` of the file system holding `path`: one call makes every file written there durable, so a batch
    /// of new files needs no fsync each (see PipeCore's `ObjectIntake`). Looked up at run time like `renameat2`
    /// (the Swift Glibc module does not import it); where it is missing, `sync(2)` does the same for all file
    /// systems.
    public static func syncFileSystem(containing path: String) throws(SystemCallError) {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else {
            Glibc.sync()
            return
        }
        let fd = try open(path, O_RDONLY | O_CLOEXEC)
        defer { close(fd) }
        guard unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0 else {
            throw SystemCallError("syncfs", path: path, errno: Glibc.errno)
        }
    }

    /// `renameat2(RENAME_EXCHANGE)`: swaps `a` and `b` atomically. Looked up at run time (glibc ≥ 2.28 exports
    /// it, but the Swift Glibc module does not import it); false when unavailable or refused, so the caller falls
    /// back to two renames.
    public static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        let renameExchange: UInt32 = 1 << 1
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }
}

/// An open directory read with `readdir(3)` (wraps `opendir`/`fdopendir`, `readdir`, `dirfd`, `closedir`), so a
/// walk can `fstatat`/`openat` relative to it without re-resolving paths. Closed exactly once, by `close()`.
public final class DirectoryStream {
    private let stream: OpaquePointer
    private var closed = false
    /// The directory's descriptor, for `*at` calls (owned by the stream).
    public let descriptor: Int32

    /// Opens the directory at `path`.
    public init(path: String) throws(SystemCallError) {
        guard let dir = opendir(path) else { throw SystemCallError("opendir", path: path, errno: Glibc.errno) }
        stream = dir
        descriptor = dirfd(dir)
    }

    /// Takes ownership of the open directory descriptor `fd` (closed here if the stream cannot be made).
    public init(takingOwnershipOf fd: Int32, path: String? = nil) throws(SystemCallError) {
        guard let dir = fdopendir(fd) else {
            let e = Glibc.errno
            Glibc.close(fd)
            throw SystemCallError("fdopendir", path: path, errno: e)
        }
        stream = dir
        descriptor = fd
    }

    deinit { close() }

    /// Calls `body` with each entry's name bytes (without the NUL, which follows in memory) and `d_type`,
    /// skipping `.` and `..`; the bytes are valid only during the call. Throws if reading fails midway.
    public func forEachEntry(path: String? = nil,
                             _ body: (UnsafeRawBufferPointer, UInt8) throws -> Void) throws {
        Glibc.errno = 0
        while let entry = readdir(stream) {
            let type = entry.pointee.d_type
            try withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let length = strlen(raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                let name = UnsafeRawBufferPointer(rebasing: raw.prefix(length))
                let isDot = length <= 2 && name[0] == UInt8(ascii: ".") && (length == 1 || name[1] == UInt8(ascii: "."))
                if !isDot { try body(name, type) }
            }
            Glibc.errno = 0
        }
        if Glibc.errno != 0 { throw SystemCallError("readdir", path: path, errno: Glibc.errno) }
    }

    /// Every name, as strings (without `.` and `..`).
    public func names(path: String? = nil) throws -> [String] {
        var names: [String] = []
        try forEachEntry(path: path) { name, _ in names.append(String(decoding: name, as: UTF8.self)) }
        return names
    }

    /// `closedir(3)`, which also closes the descriptor.
    public func close() {
        guard !closed else { return }
        closed = true
        closedir(stream)
    }
}
