import Foundation

/// One poller for every job in flight: a single `squeue` call per tick covers them all, so twenty stages cost
/// the controller what one does.
///
/// The interval starts at `PollPolicy.first` after a submission or a state change (a trivial job ends within a
/// few hundred milliseconds on an idle cluster) and grows by `growth` per quiet tick up to `longest` (a
/// long-running stage costs one call every `longest` seconds). Snakemake waits 40 s before its first poll; that
/// would dominate short stages here.
final class SlurmMonitor: @unchecked Sendable {
    /// How often to ask the controller.
    struct PollPolicy: Sendable, Equatable {
        var first: TimeInterval = 0.1
        var growth: Double = 1.25
        var longest: TimeInterval = 2
        /// The interval after `quietTicks` ticks without news.
        func interval(afterQuietTicks quietTicks: Int) -> TimeInterval {
            min(longest, first * pow(growth, Double(quietTicks)))
        }
    }

    /// What the poller knows of one job.
    enum Knowledge: Equatable {
        case waiting
        case known(SlurmJobStatus)
        /// The controller no longer knows the job and pipe never saw it end.
        case vanished
        /// Polling failed `failures` times in a row; the last error.
        case unreachable(String)

        /// Whether nothing more will be learnt by polling.
        var isFinal: Bool {
            switch self {
            case .waiting: false
            case let .known(status): status.state.isTerminal
            case .vanished, .unreachable: true
            }
        }
    }

    private let control: any SlurmControl
    private let policy: PollPolicy
    private let condition = NSCondition()
    private var jobs: [String: Knowledge] = [:]
    private var quietTicks = 0
    private var polling = false
    private var failures = 0
    /// How many polls ran (for tests and the benchmark's notes).
    private(set) var polls = 0

    init(control: any SlurmControl, policy: PollPolicy = PollPolicy()) {
        self.control = control
        self.policy = policy
    }

    /// Starts watching `id` (polling soon).
    func watch(_ id: String) {
        condition.withLock {
            jobs[id] = .waiting
            quietTicks = 0
            condition.broadcast()
            if !polling {
                polling = true
                Thread.detachNewThread { [self] in pollLoop() }
            }
        }
    }

    /// Stops watching `id`.
    func forget(_ id: String) { condition.withLock { _ = jobs.removeValue(forKey: id) } }

    /// What is known of `id` now, after waiting up to `seconds` for news of any job.
    func knowledge(of id: String, waitingUpTo seconds: TimeInterval) -> Knowledge {
        condition.withLock {
            if let now = jobs[id], now.isFinal { return now }
            _ = condition.wait(until: Date().addingTimeInterval(seconds))
            return jobs[id] ?? .vanished
        }
    }

    /// Wakes every waiter (e.g. on cancellation) and polls at once.
    func hurry() {
        condition.withLock {
            quietTicks = 0
            condition.broadcast()
        }
    }

    private func pollLoop() {
        while true {
            let ids: [String] = condition.withLock {
                let pending = jobs.filter { !$0.value.isFinal }
                if pending.isEmpty { polling = false }
                return pending.keys.sorted()
            }
            if ids.isEmpty { return }
            let result = Result { try control.statuses(of: ids) }
            condition.withLock {
                polls += 1
                var news = false
                switch result {
                case let .success(statuses):
                    failures = 0
                    for id in ids where jobs[id] != nil {
                        let now: Knowledge = statuses[id].map { .known($0) } ?? .vanished
                        if now != jobs[id] { news = true }
                        jobs[id] = now
                    }
                case let .failure(error):
                    failures += 1
                    // A controller restarting is retried; five failures in a row end the wait of every job.
                    if failures >= 5 {
                        for id in ids where jobs[id] != nil { jobs[id] = .unreachable(String(describing: error)) }
                    }
                }
                quietTicks = news ? 0 : quietTicks + 1
                condition.broadcast()
                let due = Date().addingTimeInterval(policy.interval(afterQuietTicks: quietTicks))
                // A new job or hurry() resets quietTicks and wakes this wait early.
                while Date() < due {
                    let ticks = quietTicks
                    _ = condition.wait(until: due)
                    if quietTicks == 0 && ticks != 0 { break }
                }
            }
        }
    }
}
