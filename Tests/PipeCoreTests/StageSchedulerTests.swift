import Foundation
import Testing
@testable import PipeCore

/// `StageScheduler` with fake work closures: no processes, no files.
@Suite struct StageSchedulerTests {
    /// A thread-safe record of what the work closures did, and a rendezvous so tests can prove overlap without
    /// sleeping: `meet(n)` returns once `n` closures wait in it together (or after a timeout, recorded).
    final class Recorder: @unchecked Sendable {
        private let condition = NSCondition()
        private(set) var log: [String] = []
        private var inFlight: [String: Int] = [:]
        private(set) var maxInFlight: [String: Int] = [:]
        private var waiting = 0
        private var generation = 0
        private(set) var timedOut = false

        func begin(_ job: String, holding resources: [String] = ["cores"]) {
            condition.withLock {
                log.append("start \(job)")
                for r in resources {
                    inFlight[r, default: 0] += 1
                    maxInFlight[r] = max(maxInFlight[r, default: 0], inFlight[r]!)
                }
            }
        }

        func end(_ job: String, holding resources: [String] = ["cores"]) {
            condition.withLock {
                log.append("end \(job)")
                for r in resources { inFlight[r, default: 0] -= 1 }
            }
        }

        func meet(_ n: Int) {
            condition.withLock {
                let mine = generation
                waiting += 1
                if waiting == n {
                    waiting = 0
                    generation += 1
                    condition.broadcast()
                    return
                }
                let deadline = Date().addingTimeInterval(10)
                while generation == mine {
                    if !condition.wait(until: deadline) {
                        timedOut = true
                        return
                    }
                }
            }
        }

        var entries: [String] { condition.withLock { log } }
    }

    typealias Scheduler = StageScheduler<String>

    /// Runs `jobs`, each work closure recording its start and end (and `fail`ing the named ones); returns the
    /// report and the names passed to `finished` and `skipped`.
    func run(_ jobs: [Scheduler.Job], limits: Scheduler.Limits, recorder: Recorder, failing: Set<String> = [],
             cancellation: StageCancellation = StageCancellation(),
             during: @escaping @Sendable (String) -> Void = { _ in })
        -> (report: Scheduler.Report, finished: [String], skipped: [String]) {
        var finished: [String] = []
        var skipped: [String] = []
        let report = Scheduler(jobs: jobs, limits: limits, cancellation: cancellation).run(
            start: { job in
                .run {
                    let held = job.needs.keys.sorted()
                    recorder.begin(job.name, holding: held)
                    during(job.name)
                    recorder.end(job.name, holding: held)
                    if failing.contains(job.name) { throw PipeError(.stageFailed, "\(job.name) failed") }
                    return job.name
                }
            },
            finished: { name, _ in finished.append(name) },
            skipped: { name, blocker in skipped.append("\(name) after \(blocker)") })
        return (report, finished, skipped)
    }

    /// a → b, a → c, b + c → d.
    let diamond: [Scheduler.Job] = [
        .init(name: "a", parents: []), .init(name: "b", parents: ["a"]),
        .init(name: "c", parents: ["a"]), .init(name: "d", parents: ["b", "c"]),
    ]

    @Test("with one job at a time the jobs run in the given order, each after its parents ended")
    func oneAtATimeFollowsTheGivenOrder() {
        let recorder = Recorder()
        let result = run(diamond, limits: .init(jobs: 1), recorder: recorder)
        #expect(recorder.entries == ["start a", "end a", "start b", "end b", "start c", "end c", "start d", "end d"])
        #expect(result.finished == ["a", "b", "c", "d"])
        #expect(result.report.firstError == nil && result.report.failed.isEmpty && result.report.notStarted.isEmpty)
    }

    @Test("in parallel, independent jobs overlap and a job starts only after every parent ended")
    func parallelRunsRespectDependencies() {
        let recorder = Recorder()
        // b and c meet: both must be in flight at once, which only a parallel scheduler allows.
        let result = run(diamond, limits: .init(jobs: 2), recorder: recorder) { name in
            if name == "b" || name == "c" { recorder.meet(2) }
        }
        let log = recorder.entries
        #expect(!recorder.timedOut)
        #expect(Set(result.finished) == ["a", "b", "c", "d"])
        func index(_ s: String) -> Int { log.firstIndex(of: s) ?? -1 }
        #expect(index("end a") < index("start b") && index("end a") < index("start c"))
        #expect(index("end b") < index("start d") && index("end c") < index("start d"))
        #expect(recorder.maxInFlight["cores"] == 2)
    }

    @Test("never more than -j N jobs are in flight, however many are ready")
    func neverMoreThanNInFlight() {
        let recorder = Recorder()
        let jobs = (1...6).map { Scheduler.Job(name: "j\($0)", parents: []) }
        let result = run(jobs, limits: .init(jobs: 3), recorder: recorder) { _ in recorder.meet(3) }
        #expect(!recorder.timedOut)
        #expect(result.finished.count == 6)
        #expect(recorder.maxInFlight["cores"] == 3)
    }

    @Test("jobs sharing a resource of capacity one never overlap, while others run beside them")
    func resourceLimitsAreHonoured() {
        let recorder = Recorder()
        let jobs = [
            Scheduler.Job(name: "gpu1", parents: [], needs: ["gpu": 1]),
            Scheduler.Job(name: "gpu2", parents: [], needs: ["gpu": 1]),
            Scheduler.Job(name: "cpu", parents: []),
        ]
        // gpu1 meets cpu (they may overlap); gpu2 runs after gpu1 released the gpu.
        let result = run(jobs, limits: .init(jobs: 4, capacities: ["gpu": 1]), recorder: recorder) { name in
            if name == "gpu1" || name == "cpu" { recorder.meet(2) }
        }
        #expect(!recorder.timedOut)
        #expect(result.finished.count == 3)
        #expect(recorder.maxInFlight["gpu"] == 1)
        let log = recorder.entries
        #expect(log.firstIndex(of: "end gpu1")! < log.firstIndex(of: "start gpu2")!)
    }

    @Test("a job asking for more than a capacity is clamped to it and still runs alone")
    func oversizedRequestsAreClamped() {
        let recorder = Recorder()
        let jobs = [Scheduler.Job(name: "big", parents: [], needs: ["cores": 8, "mem": 5])]
        let result = run(jobs, limits: .init(jobs: 2, capacities: ["mem": 2]), recorder: recorder)
        #expect(result.finished == ["big"] && result.report.firstError == nil)
    }

    /// a fails; b depends on it; c is independent and comes last.
    let failingFirst: [Scheduler.Job] = [
        .init(name: "a", parents: []), .init(name: "b", parents: ["a"]), .init(name: "c", parents: []),
    ]

    @Test("without keep-going, a failure stops new starts and leaves the rest not started")
    func aFailureStopsNewStarts() {
        let recorder = Recorder()
        let result = run(failingFirst, limits: .init(jobs: 1), recorder: recorder, failing: ["a"])
        #expect(recorder.entries == ["start a", "end a"])
        #expect(result.report.failed == ["a"] && result.skipped.isEmpty)
        #expect(result.report.notStarted == ["b", "c"])
        #expect(result.report.firstError?.message == "a failed")
    }

    @Test("with keep-going, a failure skips its dependants and independent jobs still run")
    func keepGoingSkipsOnlyDependants() {
        let recorder = Recorder()
        let result = run(failingFirst, limits: .init(jobs: 1, keepGoing: true), recorder: recorder, failing: ["a"])
        #expect(recorder.entries == ["start a", "end a", "start c", "end c"])
        #expect(result.skipped == ["b after a"])
        #expect(result.report.failed == ["a"] && result.report.notStarted.isEmpty)
        #expect(result.finished == ["a", "c"])
    }

    @Test("a failure before any work blocks dependants like a failed run, and grandchildren name the first failure")
    func startFailuresBlockDependants() {
        let jobs: [Scheduler.Job] = [.init(name: "a", parents: []), .init(name: "b", parents: ["a"]),
                                     .init(name: "c", parents: ["b"])]
        var skipped: [String] = []
        let report = Scheduler(jobs: jobs, limits: .init(keepGoing: true)).run(
            start: { job in job.name == "a" ? .failed(PipeError(.missingDep, "no input")) : .finished },
            finished: { _, _ in },
            skipped: { name, blocker in skipped.append("\(name) after \(blocker)") })
        #expect(skipped == ["b after a", "c after a"])
        #expect(report.failed == ["a"] && report.firstError?.code == .missingDep)
    }

    @Test("an interrupt stops new starts even with keep-going; running work finishes")
    func interruptStopsNewStarts() {
        let recorder = Recorder()
        let cancellation = StageCancellation()
        let jobs = (1...4).map { Scheduler.Job(name: "j\($0)", parents: []) }
        let result = run(jobs, limits: .init(jobs: 1, keepGoing: true), recorder: recorder, cancellation: cancellation) { name in
            if name == "j2" { cancellation.cancel() }
        }
        #expect(recorder.entries == ["start j1", "end j1", "start j2", "end j2"])
        #expect(result.finished == ["j1", "j2"])
        #expect(result.report.notStarted == ["j3", "j4"])
    }

    @Test("an interruption outranks an earlier stage failure as the run's error")
    func interruptionOutranksAStageFailure() {
        let jobs = [Scheduler.Job(name: "a", parents: []), Scheduler.Job(name: "b", parents: [])]
        let report = Scheduler(jobs: jobs, limits: .init(jobs: 1, keepGoing: true)).run(
            start: { job in
                .failed(job.name == "a" ? PipeError(.stageFailed, "a failed") : PipeError(.interrupted, "interrupted"))
            },
            finished: { _, _ in }, skipped: { _, _ in })
        #expect(report.firstError?.code == .interrupted && report.failed == ["a", "b"])
    }

    @Test("housekeeping runs after each event, and its error stops new starts")
    func housekeepingErrorsStopTheRun() {
        let jobs = (1...3).map { Scheduler.Job(name: "j\($0)", parents: []) }
        var started: [String] = []
        var calls = 0
        let report = Scheduler(jobs: jobs, limits: .init(jobs: 1)).run(
            start: { job in
                started.append(job.name)
                return .finished
            },
            finished: { _, _ in }, skipped: { _, _ in },
            housekeeping: { () throws(PipeError) -> Date? in
                calls += 1
                if calls == 2 { throw PipeError(.io, "cannot write pipe.lock") }
                return nil
            })
        #expect(started == ["j1", "j2"])
        #expect(report.firstError?.message == "cannot write pipe.lock" && report.notStarted == ["j3"])
    }
}
