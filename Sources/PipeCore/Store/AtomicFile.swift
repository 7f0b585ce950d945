import Foundation
import Glibc

/// Writes files so a reader (or a crash) sees either the old content or the new, never a mix: a temp file in
/// the same directory, fsync, rename over the target, fsync of the directory.
public enum AtomicFile {
    /// Points inside `write` where a test can make it fail, to prove an interrupted write leaves the old file.
    public enum FailurePoint: Sendable, Equatable {
        /// After writing this many bytes of the temp file (the rest never written).
        case afterWriting(bytes: Int)
        /// After the temp file is complete and synced, just before the rename.
        case beforeRename
    }

    /// The error thrown at an injected failure point.
    public struct InjectedFailure: Error, Equatable {
        /// Where the write was stopped.
        public var point: FailurePoint
    }

    /// Replaces `url` with `data` atomically, with `permissions` on the new file. Creates the parent directory
    /// if needed. `failingAt` is for tests only: the write stops there, the temp file is removed and the
    /// old file is left untouched.
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644,
                             failingAt failure: FailurePoint? = nil) throws {
        let directory = url.deletingLastPathComponent().path
        do { try SystemCall.makeDirectories(directory) } catch {
            throw PipeError.io("cannot create the directory for", path: url.path, underlying: error)
        }
        let temp = temporaryPath(for: url.path)
        let fd: Int32
        do { fd = try SystemCall.open(temp, O_WRONLY | O_CREAT | O_EXCL, permissions) } catch {
            throw PipeError.io("cannot create a temporary file next to", path: url.path, underlying: error,
                               fix: "check the directory is writable and the disk is not full")
        }
        var renamed = false
        defer { if !renamed { unlink(temp) } }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { raw in
                if case let .afterWriting(bytes)? = failure {
                    try SystemCall.writeAll(fd, UnsafeRawBufferPointer(rebasing: raw.prefix(bytes)))
                    throw InjectedFailure(point: .afterWriting(bytes: bytes))
                }
                try SystemCall.writeAll(fd, raw)
            }
            try SystemCall.changeMode(fd, permissions)   // umask may have narrowed the mode given to open
            try SystemCall.sync(fd)
        } catch let injected as InjectedFailure {
            throw injected
        } catch {
            throw PipeError.io("cannot write", path: url.path, underlying: error,
                               fix: "check the disk is not full")
        }
        if failure == .beforeRename { throw InjectedFailure(point: .beforeRename) }
        do { try SystemCall.rename(temp, url.path) } catch {
            throw PipeError.io("cannot move the new file into place", path: url.path, underlying: error,
                               fix: "check nothing else (a directory?) is in the way")
        }
        renamed = true
        SystemCall.syncDirectory(directory)
    }

    /// A fresh hidden name next to `path` for a temp file (pid + random so concurrent writers never collide).
    static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let name = path[slash...]
        return String(path[..<slash]) + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}
