import Foundation
import Glibc
import PipeBasics

/// The engine's face of `PipeBasics.AtomicFileWriter`: the same atomic write (temp file in the same directory,
/// fsync, rename, fsync of the directory), with a failure turned into a `PipeError` naming the path and the fix.
public enum AtomicFile {
    /// Points inside `write` where a test can make it fail (see `AtomicFileWriter.FailurePoint`).
    public typealias FailurePoint = AtomicFileWriter.FailurePoint
    /// The error thrown at an injected failure point.
    public typealias InjectedFailure = AtomicFileWriter.InjectedFailure

    /// Replaces `url` with `data` atomically, with `permissions` on the new file, creating the parent directory
    /// if needed. `failingAt` is for tests only: the write stops there and the old file is left untouched.
    public static func write(_ data: Data, to url: URL, permissions: mode_t = 0o644,
                             failingAt failure: FailurePoint? = nil) throws {
        do {
            try AtomicFileWriter.write(data, to: url.path, permissions: permissions, failingAt: failure)
        } catch let error as AtomicWriteError {
            throw PipeError.io(error.step.rawValue, path: url.path, underlying: error.cause, fix: error.fix)
        }
    }
}
