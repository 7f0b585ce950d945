import Foundation
import Synchronization

/// Process-wide SIGINT/SIGTERM handling for `pipe repro`: the signal is recorded and forwarded to the running
/// stage's process group, so the stage stops and pipe can leave lock and cache consistent.
///
/// A real `sigaction` handler (not a dispatch source, which on Linux never sees an ignored signal); it only does
/// async-signal-safe work: atomic loads and stores and `kill(2)`.
public enum SignalForwarding {
    private static let runningGroup = Atomic<Int32>(0)
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers (idempotent).
    public static func install() {
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                SignalForwarding.received.store(sig, ordering: .relaxed)
                let group = SignalForwarding.runningGroup.load(ordering: .relaxed)
                if group > 0 { kill(-group, sig) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        // A parent (a test runner, a CI agent) may have handed us these signals blocked; unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The signal received since install, if any.
    public static var receivedSignal: Int32? {
        let s = received.load(ordering: .relaxed)
        return s == 0 ? nil : s
    }

    /// Records the process group a signal should reach (0: none).
    static func setRunningGroup(_ pgid: pid_t) {
        runningGroup.store(pgid, ordering: .relaxed)
        if pgid > 0, let s = receivedSignal { kill(-pgid, s) }
    }
}
