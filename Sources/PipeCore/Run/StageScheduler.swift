import Foundation

/// Runs the jobs of a dependency graph: a job starts once every parent has completed, at most `jobs` at once and
/// within named resource capacities, preferring the given (topological) order, so runs are deterministic for
/// `-j 1`. A failed job blocks its dependants (reported skipped); without `keepGoing` — and always on
/// interruption — no new job starts after a failure, while running ones finish.
///
/// The scheduler knows nothing of stages: the caller decides what a job does when it becomes ready (`start`),
/// which may finish it at once (up to date, restored) or hand back work to run on a thread of its own. Every
/// callback runs on the thread that called `run`, one at a time, so the caller's state needs no lock; only the
/// work closures run elsewhere. Each wake-up scans the pending jobs once per start: O(pending × parents).
public final class StageScheduler<Output: Sendable>: @unchecked Sendable {
    /// One node: its name, its parents among the jobs, and what it occupies while it runs.
    public struct Job: Sendable {
        public var name: String
        public var parents: [String]
        /// Resource amounts (`cores` and any named resource); missing `cores` means 1.
        public var needs: [String: Int]

        /// A job; see each property.
        public init(name: String, parents: [String], needs: [String: Int] = [:]) {
            self.name = name
            self.parents = parents
            self.needs = needs
        }
    }

    /// The capacities jobs share and what a failure stops.
    public struct Limits: Sendable {
        /// How many jobs may run at once (the capacity of `cores`).
        public var jobs: Int
        /// Capacities of other named resources; a resource not named has capacity 1.
        public var capacities: [String: Int]
        /// After a failure, keep starting jobs that do not depend on it.
        public var keepGoing: Bool

        /// Limits; see each property.
        public init(jobs: Int = 1, capacities: [String: Int] = [:], keepGoing: Bool = false) {
            self.jobs = jobs
            self.capacities = capacities
            self.keepGoing = keepGoing
        }

        /// Every capacity, `cores` included.
        var all: [String: Int] {
            var c = capacities
            c["cores"] = max(1, jobs)
            return c
        }
    }

    /// What the caller does with a ready job.
    public enum Start {
        /// Nothing to run: the job is complete.
        case finished
        /// The job failed before any work (its dependants are skipped).
        case failed(PipeError)
        /// Run this on a thread of its own while holding the job's resources.
        case run(@Sendable () throws -> Output)
    }

    /// How a run ended.
    public struct Report: Sendable {
        /// The first failure; an interruption outranks an earlier stage failure.
        public var firstError: PipeError?
        /// Jobs that failed, in the order they failed.
        public var failed: [String] = []
        /// Jobs not started because a parent failed, with the failed job that blocked them.
        public var skipped: [(job: String, blocker: String)] = []
        /// Jobs never considered because the run stopped first.
        public var notStarted: [String] = []
    }

    private let pending: [Job]
    private let capacities: [String: Int]
    private let keepGoing: Bool
    private let cancellation: StageCancellation

    // Shared with the work threads; guarded by `condition`.
    private let condition = NSCondition()
    private var done: [(String, Result<Output, PipeError>)] = []
    private var woken = false

    /// A scheduler over `jobs` (in the order of preference; each job's parents listed before it).
    public init(jobs: [Job], limits: Limits, cancellation: StageCancellation = StageCancellation()) {
        let capacities = limits.all
        self.capacities = capacities
        self.keepGoing = limits.keepGoing
        self.cancellation = cancellation
        pending = jobs.map { job in
            var job = job
            job.needs["cores"] = job.needs["cores"] ?? 1
            // Each amount clamped to the capacity, so a job asking for more than exists can still run alone.
            for (k, v) in job.needs { job.needs[k] = min(v, capacities[k, default: 1]) }
            return job
        }
    }

    /// Runs every job; returns when none runs and none can start.
    ///
    /// - Parameters:
    ///   - start: a job whose parents all completed and whose resources are free: finish it, fail it, or hand
    ///     back its work.
    ///   - finished: the work of a job ended (success or the error it threw, as a `PipeError`).
    ///   - skipped: a job will not start because `blocker`, one of its ancestors, failed.
    ///   - housekeeping: called after each event; returns when it next wants to be called (nil: no need), and
    ///     a thrown error stops new starts (recorded like a failure that blocks nothing).
    public func run(start: (Job) -> Start,
                    finished: (String, Result<Output, PipeError>) -> Void,
                    skipped: (_ job: String, _ blocker: String) -> Void,
                    housekeeping: () throws(PipeError) -> Date? = { nil }) -> Report {
        cancellation.onCancel { [condition] in
            condition.withLock {
                self.woken = true
                condition.signal()
            }
        }
        var state = State(pending: pending)
        var nextHousekeeping: Date?
        func keepHouse() {
            do throws(PipeError) { nextHousekeeping = try housekeeping() } catch {
                state.record(error, failing: nil, stop: true)
                nextHousekeeping = nil
            }
        }
        func collect() {
            let results = condition.withLock {
                defer { done = [] }
                return done
            }
            for (name, result) in results {
                state.release(name)
                if case let .failure(error) = result { state.record(error, failing: name, stop: stops(error)) }
                finished(name, result)
                keepHouse()
            }
        }

        while true {
            collect()
            // Start (or skip) one job per pass, rescanning from the front so the order of preference holds.
            while true {
                collect()
                if cancellation.isCancelled { state.stopLaunching = true }
                if state.stopLaunching { break }
                // The first ready job (in order of preference) that is blocked by a failure or fits.
                guard let index = state.pending.firstIndex(where: { state.isReady($0) && (state.blocker(of: $0) != nil || fits($0, state)) })
                else { break }
                let next = state.pending.remove(at: index)
                if let blocker = state.blocker(of: next) {
                    state.blocker[next.name] = blocker
                    state.completed.insert(next.name)
                    state.report.skipped.append((next.name, blocker))
                    skipped(next.name, blocker)
                    continue
                }
                switch start(next) {
                case .finished:
                    state.completed.insert(next.name)
                case let .failed(error):
                    state.record(error, failing: next.name, stop: stops(error))
                case let .run(work):
                    state.reserve(next)
                    Thread.detachNewThread { [self] in
                        let result: Result<Output, PipeError> = Result { try work() }
                            .mapError { $0 as? PipeError ?? PipeError(.stageFailed, "stage '\(next.name)': \($0)") }
                        condition.withLock {
                            done.append((next.name, result))
                            condition.signal()
                        }
                    }
                }
                keepHouse()
            }
            if state.running.isEmpty && (state.pending.isEmpty || state.stopLaunching) { break }
            if state.running.isEmpty {
                // Nothing runs and nothing can start: only possible if a job needs more than exists.
                let job = state.pending.removeFirst()
                state.record(PipeError(.invalidValue, "stage '\(job.name)' needs more resources than are available",
                                       fix: "lower its `resources:` or raise the capacity (-j, --resource NAME=N)"),
                             failing: job.name, stop: !keepGoing)
                continue
            }
            condition.withLock {
                while done.isEmpty && !woken {
                    if let due = nextHousekeeping {
                        if Date() >= due || !condition.wait(until: due) { break }
                    } else {
                        condition.wait()
                    }
                }
                woken = false
            }
            if let due = nextHousekeeping, Date() >= due { keepHouse() }
        }
        state.report.notStarted = state.pending.map(\.name)
        return state.report
    }

    /// Whether `error` stops new starts: always without keep-going, and an interruption always.
    private func stops(_ error: PipeError) -> Bool { !keepGoing || error.code == .interrupted }

    private func fits(_ job: Job, _ state: State) -> Bool {
        job.needs.allSatisfy { state.inUse[$0.key, default: 0] + $0.value <= capacities[$0.key, default: 1] }
    }

    /// The scheduling thread's own state.
    private struct State {
        var pending: [Job]
        var completed: Set<String> = []
        /// For each failed or skipped job, the failed job that blocks its dependants.
        var blocker: [String: String] = [:]
        var running: [String: [String: Int]] = [:]
        var inUse: [String: Int] = [:]
        var stopLaunching = false
        var report = Report()

        func isReady(_ job: Job) -> Bool { job.parents.allSatisfy(completed.contains) }

        /// The failed job that blocks `job` through one of its parents, if any.
        func blocker(of job: Job) -> String? { job.parents.lazy.compactMap { blocker[$0] }.first }

        mutating func reserve(_ job: Job) {
            running[job.name] = job.needs
            for (k, v) in job.needs { inUse[k, default: 0] += v }
        }

        mutating func release(_ name: String) {
            for (k, v) in running.removeValue(forKey: name) ?? [:] { inUse[k, default: 0] -= v }
            completed.insert(name)
        }

        /// Records a failure (of `job`, when one failed: its dependants are then skipped).
        mutating func record(_ error: PipeError, failing job: String?, stop: Bool) {
            if let job {
                blocker[job] = job
                completed.insert(job)
                report.failed.append(job)
            }
            if report.firstError == nil || report.firstError?.code == .stageFailed && error.code == .interrupted {
                report.firstError = error
            }
            if stop { stopLaunching = true }
        }
    }
}
