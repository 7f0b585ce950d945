import Foundation
import PipeBasics

/// Progress on stderr as `pipe:progress {"done":N,"total":M,"message":"..."}` lines (`ProgressLine`), which the
/// engine parses and people can read.
///
/// Lines are throttled (at most one per percent of `total`, plus the first and the last) so a tight loop does not
/// flood the engine's pipe.
public final class ProgressReporter: @unchecked Sendable {
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void
    private var lastPercent = -1

    /// A reporter writing to stderr, or to `write` (tests capture lines this way).
    public init(write: (@Sendable (String) -> Void)? = nil) {
        self.write = write ?? { line in FileHandle.standardError.write(Data((line + "\n").utf8)) }
    }

    /// Reports `done` of `total` with a short message; throttled unless it is the first, the last or `force`.
    public func report(done: Int, total: Int, message: String, force: Bool = false) {
        let percent = total > 0 ? (done * 100) / total : 100
        let emit: Bool = lock.withLock {
            let isEdge = done == 0 || done >= total
            guard force || isEdge || percent != lastPercent else { return false }
            lastPercent = percent
            return true
        }
        guard emit else { return }
        write(Self.line(done: done, total: total, message: message))
    }

    /// The exact text of one progress line (without the newline); the format is `PipeBasics.ProgressLine`'s.
    public static func line(done: Int, total: Int, message: String) -> String {
        ProgressLine(done: done, total: total, message: message).text
    }
}
