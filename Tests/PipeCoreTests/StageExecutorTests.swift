import Foundation
import Testing
@testable import PipeCore

/// `LocalExecutor` (subprocesses) and the `StageExecutor` seam of `Reproducer`: the engine hashes, caches and
/// locks whatever executor ran the commands.
@Suite struct StageExecutorTests {
    /// Lines an executor streamed, in order.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String, _ isStderr: Bool) { lock.withLock { lines.append((isStderr ? "err " : "out ") + line) } }
        var all: [String] { lock.withLock { lines } }
    }

    func job(_ commands: [String], in dir: HashingScratchDirectory, variables: [String: String] = [:]) -> StageJob {
        StageJob(stage: "s", commands: commands.map { ["/bin/sh", "-c", $0] }, variables: variables,
                 repoRoot: dir.url, workingDirectory: dir.url.appendingPathComponent("work"), resources: [:])
    }

    @Test("the local executor runs every command in order in the wdir, with the stage's variables, streaming each line")
    func runsCommandsInOrder() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("work/.keep", "")
        let lines = Lines()
        let execution = try LocalExecutor().run(
            job(["echo one; echo \"$PIPE_STAGE in ${PWD##*/}\" >&2", "echo two"], in: dir, variables: ["PIPE_STAGE": "s"]),
            cancellation: StageCancellation(), output: lines.append)
        #expect(execution == StageExecution(command: ["/bin/sh", "-c", "echo two"], exitStatus: 0, logTail: []))
        // stdout and stderr are read by separate pumps: each stream keeps its order.
        #expect(lines.all.filter { $0.hasPrefix("out") } == ["out one", "out two"])
        #expect(lines.all.filter { $0.hasPrefix("err") } == ["err s in work"])
    }

    @Test("the local executor stops at the first failing command and returns its status and stderr tail")
    func stopsAtTheFirstFailure() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("work/.keep", "")
        let execution = try LocalExecutor(tailLines: 2).run(
            job(["echo a >&2; echo b >&2; echo c >&2; exit 3", "touch never"], in: dir),
            cancellation: StageCancellation(), output: { _, _ in })
        #expect(execution == StageExecution(command: ["/bin/sh", "-c", "echo a >&2; echo b >&2; echo c >&2; exit 3"],
                                            exitStatus: 3, logTail: ["b", "c"]))
        #expect(!execution.succeeded && dir.read("work/never") == nil)
    }

    @Test("a cancelled job starts no command and reports the command it did not run as killed")
    func cancelledJobsStartNothing() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("work/.keep", "")
        let cancellation = StageCancellation()
        cancellation.cancel()
        let execution = try LocalExecutor().run(job(["touch ran"], in: dir), cancellation: cancellation, output: { _, _ in })
        #expect(execution.signal == SIGTERM && !execution.succeeded && dir.read("work/ran") == nil)
    }

    @Test("cancel runs each handler once, at once for a handler registered after it, and ends a wait early")
    func cancellationRunsHandlersOnce() {
        let cancellation = StageCancellation()
        let lines = Lines()
        cancellation.onCancel { lines.append("first", false) }
        #expect(!cancellation.wait(seconds: 0))
        cancellation.cancel()
        cancellation.cancel()
        cancellation.onCancel { lines.append("late", false) }
        #expect(lines.all == ["out first", "out late"])
        #expect(cancellation.isCancelled && cancellation.wait(seconds: 60))
        #expect(StageCancellation(alsoWhen: { true }).isCancelled)
    }

    /// An executor that never spawns anything: it writes the stage's output itself, as a remote executor's job
    /// would on a shared file system, and records the jobs it was given.
    final class WritingExecutor: StageExecutor, @unchecked Sendable {
        private let lock = NSLock()
        private var received: [StageJob] = []
        var jobs: [StageJob] { lock.withLock { received } }

        func run(_ job: StageJob, cancellation: StageCancellation,
                 output: @escaping @Sendable (String, Bool) -> Void) throws -> StageExecution {
            lock.withLock { received.append(job) }
            let params = job.variables["PIPE_PARAMS"] ?? ""
            try Data("made with \(params)\n".utf8).write(to: job.workingDirectory.appendingPathComponent("out.txt"))
            output("pipe:progress {\"done\":1,\"total\":1,\"message\":\"written\"}", true)
            return StageExecution(command: job.commands.last ?? [], exitStatus: 0)
        }
    }

    @Test("a repro through another executor hands it the commands, variables, wdir and resources, then hashes, caches and locks the outputs")
    func reproducerHashesAndLocksWhatAnExecutorMade() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("params.yaml", "train:\n  lr: 0.1\n")
        try dir.write("pipeline.yaml", """
            stages:
              train:
                cmd: echo never-run-locally
                params: [train.lr]
                outs: [out.txt]
                resources: {cores: 2, gpu: 1}
            """)
        let events = Lines()
        let reproducer = try Project.open(from: dir.url).reproducer { event in
            if case let .progress(stage, done, total, message) = event { events.append("\(stage) \(done)/\(total) \(message)", true) }
        }
        let executor = WritingExecutor()
        reproducer.executor = executor
        var options = ReproOptions()
        options.resourceCapacities = ["gpu": 1]
        let summary = try reproducer.run(options)
        #expect(summary.ran == ["train"])
        let job = try #require(executor.jobs.first)
        #expect(executor.jobs.count == 1)
        #expect(job.commands == [["/bin/sh", "-c", "echo never-run-locally"]])
        #expect(job.variables == ["PIPE_STAGE": "train", "PIPE_REPO_ROOT": dir.url.standardizedFileURL.path,
                                  "PIPE_PARAMS": #"{"train":{"lr":0.1}}"#])
        #expect(job.workingDirectory.path == dir.url.standardizedFileURL.path && job.resources == ["cores": 2, "gpu": 1])
        #expect(events.all == ["err train 1/1 written"])
        #expect(dir.read("out.txt") == "made with {\"train\":{\"lr\":0.1}}\n")
        let lock = try #require(dir.read("pipe.lock"))
        #expect(lock.contains("- path: out.txt\n      hash: "))
        // The output went to the cache: a second repro is up to date and runs nothing.
        let again = try Project.open(from: dir.url).reproducer { _ in }
        again.executor = executor
        #expect(try again.run(ReproOptions()).upToDate == ["train"] && executor.jobs.count == 1)
    }

    @Test("an executor's failed execution fails the stage with the command, its status and the log tail")
    func executorFailuresFailTheStage() throws {
        struct FailingExecutor: StageExecutor {
            func run(_ job: StageJob, cancellation: StageCancellation,
                     output: @escaping @Sendable (String, Bool) -> Void) throws -> StageExecution {
                StageExecution(command: ["sbatch", "job.sh"], exitStatus: 7, logTail: ["oom"])
            }
        }
        let dir = try HashingScratchDirectory()
        try dir.write("pipeline.yaml", "stages:\n  s:\n    cmd: 'true'\n    outs: [o.txt]\n")
        let tails = Lines()
        let reproducer = try Project.open(from: dir.url).reproducer { event in
            if case let .failed(_, _, tail) = event { for l in tail { tails.append(l, true) } }
        }
        reproducer.executor = FailingExecutor()
        #expect {
            try reproducer.run(ReproOptions())
        } throws: { error in
            (error as? PipeError)?.message == "stage 's' failed: `sbatch job.sh` exited with status 7"
        }
        #expect(tails.all == ["err oom"])
        #expect(dir.read("pipe.lock") == nil || dir.read("pipe.lock")?.contains("  s:") == false)
    }
}
