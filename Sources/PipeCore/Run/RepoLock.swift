import Foundation

/// An exclusive lock on the repository so two `pipe` writers never interleave lock or cache updates.
///
/// Held with `flock(2)` on `.cache/repo.lock`, which the kernel releases if the process dies; the file carries
/// the holder's pid so the second writer can say who holds it.
public final class RepoLock: @unchecked Sendable {
    private let fd: Int32
    public let path: URL

    /// Takes the lock or fails fast with `.repoLocked` naming the holder's pid.
    public init(cacheRoot: URL) throws {
        try FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
        path = cacheRoot.appendingPathComponent("repo.lock")
        let fd = open(path.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PipeError.io("cannot open the repository lock", path: path.path) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = pread(fd, &buffer, 63, 0)
            close(fd)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw PipeError(.repoLocked, "another pipe process (pid \(holder)) is working in this repository",
                            fix: "wait for it to finish, or stop it (kill \(holder)) and run again")
        }
        _ = ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.fd = fd
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
