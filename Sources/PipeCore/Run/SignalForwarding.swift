import Foundation
import Synchronization

/// Process-wide SIGINT/SIGTERM handling for `pipe repro`: the signal is recorded and forwarded to the process
/// group of every running stage, so stages stop and pipe can leave lock and cache consistent.
///
/// A real `sigaction` handler (a dispatch source never sees a signal on Linux once it is ignored) that does only
/// async-signal-safe work: an atomic store and a `write(2)` to a self-pipe. A watcher thread reads the pipe and
/// signals the registered groups.
public enum SignalForwarding {
    private static let received = Atomic<Int32>(0)
    private static let wakeWriteEnd = Atomic<Int32>(-1)
    private static let groups = Mutex<Set<pid_t>>([])
    private static let installed = Mutex(false)

    /// Installs the handlers and the watcher thread (idempotent).
    public static func install() {
        let first = installed.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        wakeWriteEnd.store(fds[1], ordering: .sequentiallyConsistent)
        let readEnd = fds[0]
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while true {
                let n = read(readEnd, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                let sig = received.load(ordering: .sequentiallyConsistent)
                for group in groups.withLock({ $0 }) { kill(-group, sig) }
            }
        }
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                SignalForwarding.received.store(sig, ordering: .sequentiallyConsistent)
                var byte = UInt8(truncatingIfNeeded: sig)
                _ = write(SignalForwarding.wakeWriteEnd.load(ordering: .sequentiallyConsistent), &byte, 1)
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
        let s = received.load(ordering: .sequentiallyConsistent)
        return s == 0 ? nil : s
    }

    /// Registers a running stage's process group; signals it at once if a signal already arrived.
    static func register(_ pgid: pid_t) {
        groups.withLock { _ = $0.insert(pgid) }
        if let s = receivedSignal { kill(-pgid, s) }
    }

    static func unregister(_ pgid: pid_t) {
        groups.withLock { _ = $0.remove(pgid) }
    }
}
