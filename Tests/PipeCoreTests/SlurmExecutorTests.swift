import Foundation
import Testing
@testable import PipeCore

/// The Slurm executor's pure parts — state mapping, `squeue` parsing, the sbatch flags and script, the executor
/// plan's checks — and its bookkeeping against a fake controller. That Slurm itself works is shown by the
/// end-to-end tests on the real cluster (PipeCLITests/SlurmTests).
@Suite struct SlurmExecutorTests {
    /// A controller in memory: each submitted job ends in `ending` after `pollsToEnd` polls.
    final class FakeSlurm: SlurmControl, @unchecked Sendable {
        private let lock = NSLock()
        var ending = SlurmJobStatus(id: "", state: .completed, reason: "None", waitStatus: 0)
        var pollsToEnd = 2
        private(set) var submitted: [(arguments: [String], environment: [String: String])] = []
        private(set) var cancelled: [String] = []
        private var polls: [String: Int] = [:]

        func submit(script: URL, arguments: [String], environment: [String: String]) throws -> String {
            lock.withLock {
                submitted.append((arguments, environment))
                return String(100 + submitted.count)
            }
        }
        func statuses(of ids: [String]) throws -> [String: SlurmJobStatus] {
            lock.withLock {
                var result: [String: SlurmJobStatus] = [:]
                for id in ids {
                    polls[id, default: 0] += 1
                    if cancelled.contains(id) {
                        result[id] = SlurmJobStatus(id: id, state: .cancelled, reason: "None", waitStatus: 15)
                    } else if polls[id]! >= pollsToEnd {
                        var end = ending
                        end.id = id
                        result[id] = end
                    } else {
                        result[id] = SlurmJobStatus(id: id, state: .active("RUNNING"))
                    }
                }
                return result
            }
        }
        func cancel(_ ids: [String]) throws { lock.withLock { cancelled += ids } }
    }

    func job(resources: [String: Int] = [:], settings: [String: String] = [:], in dir: URL) -> StageJob {
        StageJob(stage: "train", commands: [["/bin/sh", "-c", "echo it's here"]], variables: ["PIPE_STAGE": "train"],
                 repoRoot: dir, workingDirectory: dir.appendingPathComponent("work"), resources: resources,
                 resourceSettings: settings)
    }

    @Test("squeue's states read as Slurm names them; only the end states are terminal")
    func statesParse() {
        #expect(SlurmJobState("PENDING") == .active("PENDING") && !SlurmJobState("RUNNING").isTerminal)
        #expect(!SlurmJobState("COMPLETING").isTerminal)
        #expect(SlurmJobState("CANCELLED by 0") == .cancelled && SlurmJobState("CANCELLED+") == .cancelled)
        #expect(SlurmJobState("TIMEOUT") == .timeout && SlurmJobState("OUT_OF_MEMORY") == .outOfMemory)
        #expect(SlurmJobState("NODE_FAIL") == .nodeFail && SlurmJobState("PREEMPTED") == .otherEnd("PREEMPTED"))
        let parsed = SlurmJobStatus.parseQueue(["2|FAILED|NonZeroExitCode|768|", "3|RUNNING|None|0|", "garbage"])
        #expect(parsed["2"] == SlurmJobStatus(id: "2", state: .failed, reason: "NonZeroExitCode", waitStatus: 768))
        #expect(parsed["3"]?.state == .active("RUNNING") && parsed.count == 2)
    }

    @Test("each end state becomes a failed execution whose message names the job, the state and the fix")
    func endStatesMapToReasons() {
        func failure(_ state: SlurmJobState, wait: Int32 = 0, resources: [String: Int] = [:]) -> StageExecution {
            SlurmJobStatus(id: "7", state: state, reason: "None", waitStatus: wait)
                .execution(command: ["x"], resources: resources, logTail: ["boom"])
        }
        #expect(failure(.completed).succeeded)
        let failed = failure(.failed, wait: 3 << 8)
        #expect(!failed.succeeded && failed.exitStatus == 3 && failed.failure == "Slurm job 7 FAILED with exit code 3")
        #expect(failed.logTail == ["boom"])
        let killed = failure(.failed, wait: 9)
        #expect(killed.signal == 9 && killed.failure == "Slurm job 7 FAILED: its script was killed by signal 9")
        #expect(failure(.timeout, wait: 15, resources: ["runtime": 1]).failure
                == "Slurm job 7 TIMEOUT: it ran past its runtime of 1 min; raise `runtime:` in its resources")
        #expect(failure(.outOfMemory, resources: ["mem_mb": 100]).failure?.contains("OUT_OF_MEMORY: it used more than the 100 MB") == true)
        #expect(failure(.cancelled).failure?.hasPrefix("Slurm job 7 CANCELLED") == true)
        #expect(failure(.nodeFail).failure?.hasPrefix("Slurm job 7 NODE_FAIL") == true)
        for state in [SlurmJobState.timeout, .outOfMemory, .cancelled, .nodeFail] { #expect(!failure(state).succeeded) }
    }

    @Test("resources map to sbatch flags, the config's defaults lie under the stage's own, and the script quotes each argument")
    func submissionMapsResources() {
        let dir = URL(fileURLWithPath: "/repo")
        let submission = SlurmSubmission(
            job: job(resources: ["cores": 2, "mem_mb": 500, "runtime": 30, "gpus": 1],
                     settings: ["partition": "gpu", "slurm_extra": "--exclusive  --nice=5"], in: dir),
            run: "R1", log: URL(fileURLWithPath: "/repo/.cache/slurm/logs/train.log"),
            defaults: ["partition": "debug", "account": "lab"])
        #expect(submission.arguments == [
            "--job-name=pipe:train", "--comment=pipe run R1 stage train", "--chdir=/repo/work",
            "--output=/repo/.cache/slurm/logs/train.log", "--open-mode=truncate", "--export=ALL", "--no-requeue",
            "--cpus-per-task=2", "--mem=500M", "--time=30", "--gpus=1", "--partition=gpu", "--account=lab",
            "--exclusive", "--nice=5"])
        #expect(submission.script.contains(#"/bin/sh -c 'echo it'"'"'s here' || { status=$?;"#))
        #expect(submission.script.hasPrefix("#!/bin/sh\n"))
    }

    @Test("gres reaches sbatch as --gres, after the other text resources")
    func gresMapsToFlag() {
        let dir = URL(fileURLWithPath: "/repo")
        let submission = SlurmSubmission(job: job(settings: ["gres": "gpu:a100:2", "qos": "high"], in: dir), run: "R",
                                         log: URL(fileURLWithPath: "/repo/l.log"))
        #expect(Array(submission.arguments.dropFirst(7)) == ["--qos=high", "--gres=gpu:a100:2"])
    }

    @Test("slurm_extra may not set a flag pipe sets itself: long, long with value, short and glued short forms")
    func slurmExtraManagedFlags() {
        #expect(SlurmExtra.managedFlag(in: "--exclusive --nice=10 -N 1 --mem-per-cpu=100 --mail-type=END") == nil)
        #expect(SlurmExtra.managedFlag(in: "--exclusive --output=x.log")?.word == "--output=x.log")
        #expect(SlurmExtra.managedFlag(in: "-o x.log")?.word == "-o")
        #expect(SlurmExtra.managedFlag(in: "-pgpu")?.fix == "use `partition:` in the stage's resources")
        #expect(SlurmExtra.managedFlag(in: "--time 10")?.fix == "use `runtime:` (minutes) in the stage's resources")
        for word in ["--job-name=x", "-J", "--error=e", "--chdir=/", "-D", "--export=NONE", "--parsable", "--wait",
                     "--array=1-3", "--requeue", "--cpus-per-task=2", "-c", "--mem=1G", "--gpus=1", "--gres=gpu:1",
                     "--account=a", "-A", "--qos=q", "--constraint=c", "--comment=c", "--open-mode=append"] {
            #expect(SlurmExtra.managedFlag(in: word)?.word == word, "\(word)")
        }
    }

    @Test("the poll interval starts short and backs off to its ceiling")
    func pollBacksOff() {
        let policy = SlurmMonitor.PollPolicy()
        #expect(policy.interval(afterQuietTicks: 0) == 0.1)
        #expect(abs(policy.interval(afterQuietTicks: 1) - 0.125) < 1e-9)
        #expect(policy.interval(afterQuietTicks: 40) == 2)
    }

    @Test("the executor submits with the stage's variables, records the job while it runs, forgets it at the end, and a failure names the log")
    func executorBookkeeping() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("work/.keep", "")
        let fake = FakeSlurm()
        fake.ending = SlurmJobStatus(id: "", state: .failed, reason: "NonZeroExitCode", waitStatus: 2 << 8)
        let executor = SlurmExecutor(control: fake, cacheRoot: dir.url.appendingPathComponent(".cache"), run: "R")
        let execution = try executor.run(job(in: dir.url), cancellation: StageCancellation(), output: { _, _ in })
        #expect(execution.failure == "Slurm job 101 FAILED with exit code 2; log: .cache/slurm/logs/train.log"
                && execution.exitStatus == 2)
        #expect(fake.submitted.first?.environment["PIPE_STAGE"] == "train")
        #expect(executor.ledger.recorded.isEmpty && dir.read(".cache/slurm/jobs.json") == nil)
        #expect(dir.read(".cache/slurm/scripts/train.sh")?.contains("echo it") == true)
    }

    @Test("a cancelled run scancels its job and returns only once the controller reports it over")
    func cancellationCancelsTheJob() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("work/.keep", "")
        let fake = FakeSlurm()
        fake.pollsToEnd = .max
        let executor = SlurmExecutor(control: fake, cacheRoot: dir.url.appendingPathComponent(".cache"), run: "R")
        let cancellation = StageCancellation()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { cancellation.cancel() }
        let execution = try executor.run(job(in: dir.url), cancellation: cancellation, output: { _, _ in })
        #expect(fake.cancelled == ["101"] && execution.signal == SIGTERM && !execution.succeeded)
        #expect(executor.ledger.recorded.isEmpty)
    }

    @Test("jobs recorded by a killed pipe are cancelled by the next run, and the ledger emptied")
    func leftoversAreCancelled() throws {
        let dir = try HashingScratchDirectory()
        let cache = dir.url.appendingPathComponent(".cache")
        try SlurmJobLedger(cacheRoot: cache).add(.init(id: "55", stage: "train", run: "old", log: "l"))
        let ledger = SlurmJobLedger(cacheRoot: cache)
        #expect(ledger.recorded.map(\.id) == ["55"])
        let fake = FakeSlurm()
        fake.pollsToEnd = .max
        let cancelled = try ledger.cancelLeftovers(control: fake)
        #expect(cancelled.map(\.stage) == ["train"] && fake.cancelled == ["55"])
        #expect(SlurmJobLedger(cacheRoot: cache).recorded.isEmpty)
    }
}
