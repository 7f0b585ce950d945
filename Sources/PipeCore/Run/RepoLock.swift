import Foundation
import PipeBasics

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
        let path = cacheRoot.appendingPathComponent("repo.lock").path
        let fd: Int32
        do { fd = try SystemCall.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644) } catch {
            throw PipeError.io("cannot open the repository lock", path: path, underlying: error)
        }
        guard SystemCall.tryLockExclusive(fd) else {
            let holder = Self.holder(fd, path: path)
            SystemCall.close(fd)
            throw PipeError(.repoLocked, "another pipe process (pid \(holder)) is working in this repository",
                            fix: "wait for it to finish, or stop it (kill \(holder)) and run again")
        }
        // The pid is only for the message above: a failure to record it never blocks the run.
        try? SystemCall.truncate(fd, path: path)
        let pid = Array("\(SystemCall.processID)\n".utf8)
        try? pid.withUnsafeBytes { try SystemCall.writeAll(fd, $0, at: 0, path: path) }
        self.fd = fd
        self.path = URL(fileURLWithPath: path)
    }

    /// The pid the holder wrote, or `?` while it has not written it yet.
    private static func holder(_ fd: Int32, path: String) -> String {
        var buffer = [UInt8](repeating: 0, count: 63)
        let n = (try? buffer.withUnsafeMutableBytes { try SystemCall.read(fd, into: $0, at: 0, path: path) }) ?? 0
        let text = String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "?" : text
    }

    deinit {
        try? SystemCall.truncate(fd)
        SystemCall.unlock(fd)
        SystemCall.close(fd)
    }
}
