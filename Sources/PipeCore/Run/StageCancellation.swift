import Foundation

/// A thread-safe "stop now" shared by the scheduler and the executors of one repro: set by `cancel()` or, while
/// unset, read through `alsoWhen` (the process-wide signal flag in production), so an executor that polls (Slurm)
/// notices an interrupt without any thread having to call `cancel()`.
public final class StageCancellation: @unchecked Sendable {
    private let condition = NSCondition()
    private var cancelled = false
    private var handlers: [@Sendable () -> Void] = []
    private let alsoWhen: @Sendable () -> Bool

    /// A token that is cancelled by `cancel()` or as soon as `alsoWhen` returns true.
    public init(alsoWhen: @escaping @Sendable () -> Bool = { false }) { self.alsoWhen = alsoWhen }

    /// The token of a `pipe repro`: cancelled by `cancel()` or by SIGINT/SIGTERM (`SignalForwarding`).
    public static func interruptible() -> StageCancellation {
        StageCancellation { SignalForwarding.receivedSignal != nil }
    }

    /// Whether work should stop.
    public var isCancelled: Bool { condition.withLock { cancelled } || alsoWhen() }

    /// Cancels: runs every registered handler once (outside the lock) and wakes every `wait(seconds:)`.
    public func cancel() {
        let run: [@Sendable () -> Void] = condition.withLock {
            guard !cancelled else { return [] }
            cancelled = true
            condition.broadcast()
            defer { handlers = [] }
            return handlers
        }
        for handler in run { handler() }
    }

    /// Runs `handler` on `cancel()`, or at once when already cancelled by `cancel()`.
    public func onCancel(_ handler: @escaping @Sendable () -> Void) {
        let now: Bool = condition.withLock {
            if cancelled { return true }
            handlers.append(handler)
            return false
        }
        if now { handler() }
    }

    /// Waits up to `seconds` (a polling executor's interval); true when cancelled. `cancel()` ends the wait at once;
    /// `alsoWhen` (a signal) is read before and after it, so an interrupt is noticed within one interval.
    public func wait(seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while !cancelled && !alsoWhen() && Date() < deadline { _ = condition.wait(until: deadline) }
            return cancelled || alsoWhen()
        }
    }
}
