import Foundation
import Testing

/// The single-node Slurm cluster `scripts/slurm.sh start` runs (real slurmctld, slurmd and munge): its client
/// environment, or a failed test saying how to start it (never a silent skip).
enum SlurmCluster {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `SLURM_CONF` for the client commands: the environment's, else the one slurm.sh wrote.
    static var environment: [String: String] {
        if let conf = ProcessInfo.processInfo.environment["SLURM_CONF"] { return ["SLURM_CONF": conf] }
        let dir = ProcessInfo.processInfo.environment["PIPE_SLURM_DIR"] ?? packageRoot.appendingPathComponent(".build/slurm").path
        return ["SLURM_CONF": dir + "/slurm.conf"]
    }

    /// A scratch repository the client commands run in.
    static let scratch = try! Repo()

    /// Output of a Slurm client command (`squeue`, `scontrol`, `sinfo`).
    static func run(_ argv: String...) throws -> String {
        try scratch.run("/usr/bin/env", argv, env: environment).stdout
    }

    /// Fails the test (returning false) unless the node answers idle, mixed or allocated.
    static func isUp(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let state = (try? run("sinfo", "-h", "-N", "-o", "%T")) ?? ""
        let up = ["idle", "mixed", "allocated", "completing"].contains { state.hasPrefix($0) }
        if !up {
            Issue.record("the Slurm test cluster is not running (sinfo: '\(state.trimmingCharacters(in: .whitespacesAndNewlines))'); start it: bash scripts/slurm.sh start",
                         sourceLocation: sourceLocation)
        }
        return up
    }

    /// Jobs of the controller whose name starts with `pipe:` and whose comment names `repo`'s run, not over.
    static func activeJobs(named prefix: String = "pipe:") throws -> [String] {
        try run("squeue", "-h", "-o", "%i|%j|%T").split(separator: "\n").map(String.init)
            .filter { $0.split(separator: "|").dropFirst().first?.hasPrefix(prefix) == true }
    }
}

/// `pipe repro --executor slurm` on the real cluster: same lock as a local run, failures with their reasons and
/// log tails, interruption, resources, and the shipped pipeline.
@Suite(.serialized) struct SlurmTests {
    func pipe(_ repo: Repo, _ args: String...) throws -> Repo.Result {
        try repo.run(Repo.pipeExecutable.path, args, env: SlurmCluster.environment)
    }

    /// `pipe repro --executor slurm` started in the background, once `count` jobs named `pipe:PREFIX…` are in
    /// squeue (or 10 s passed), with those jobs' `ID|NAME|STATE` lines.
    func startRepro(in repo: Repo, output: Pipe, waitingFor count: Int, named prefix: String) throws -> (Process, [String]) {
        let p = Process()
        p.executableURL = Repo.pipeExecutable
        p.arguments = ["repro", "--executor", "slurm"]
        p.currentDirectoryURL = repo.root
        p.environment = ProcessInfo.processInfo.environment.merging(SlurmCluster.environment) { $1 }
        p.standardOutput = output
        p.standardError = output
        try p.run()
        var submitted: [String] = []
        for _ in 0..<100 where submitted.count < count {
            Thread.sleep(forTimeInterval: 0.1)
            submitted = try SlurmCluster.activeJobs(named: "pipe:\(prefix)")
        }
        return (p, submitted)
    }

    /// A diamond: two independent branches, then a stage reading both.
    func diamond() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "n: 3\n")
        try repo.write("pipeline.yaml", """
        stages:
          left:
            cmd: seq ${n} > left.txt
            params: [n]
            outs: [left.txt]
          right:
            cmd: echo right > right.txt
            outs: [right.txt]
          join:
            cmd: cat left.txt right.txt > joined.txt
            deps: [left.txt, right.txt]
            outs: [joined.txt]

        """)
        return repo
    }

    @Test("a two-branch pipeline run on Slurm writes the same lock as a local run, and is then up to date")
    func sameLockAsLocal() throws {
        guard SlurmCluster.isUp() else { return }
        let local = try diamond(), slurm = try diamond()
        defer { try? FileManager.default.removeItem(at: local.root); try? FileManager.default.removeItem(at: slurm.root) }
        #expect(try pipe(local, "repro").status == 0)
        let r = try pipe(slurm, "repro", "--executor", "slurm")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("Running 'left' on slurm because:"), "\(r.stdout)")
        #expect(slurm.read("joined.txt") == "1\n2\n3\nright\n")
        #expect(slurm.read("pipe.lock") == local.read("pipe.lock"))
        #expect(slurm.exists(".cache/slurm/logs/left.log") && !slurm.exists(".cache/slurm/jobs.json"))
        let again = try pipe(slurm, "repro", "--executor", "slurm")
        #expect(again.status == 0 && again.stdout.contains("Nothing to reproduce"), "\(again.all)")
    }

    @Test("a failing job exits 1 naming the job, its exit code and its log, shows the log's tail, and keeps the old lock entry; so does a job sbatch refuses (a gres the cluster lacks)")
    func failingJob() throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("pipeline.yaml", "stages:\n  bad:\n    cmd: echo preparing; echo something broke >&2; exit 3\n    outs: [never.txt]\n")
        let r = try pipe(repo, "repro", "--executor", "slurm")
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stderr.contains(#/stage 'bad' failed: Slurm job \d+ FAILED with exit code 3; log: .cache\/slurm\/logs\/bad.log\n/#),
                "\(r.stderr)")
        #expect(r.stderr.contains("  | something broke") && r.stderr.contains("  | preparing"), "\(r.stderr)")
        #expect(!repo.exists("pipe.lock") || !(repo.read("pipe.lock") ?? "").contains("bad:"))
        try repo.write("pipeline.yaml", "stages:\n  g:\n    cmd: echo hi > g.txt\n    outs: [g.txt]\n    resources: {gres: \"gpu:1\"}\n")
        let refused = try pipe(repo, "repro", "--executor", "slurm")
        #expect(refused.status == 1, "\(refused.all)")
        #expect(refused.stderr.contains("stage 'g' failed: sbatch refused its job: sbatch: error: Invalid generic resource (gres) specification"),
                "\(refused.stderr)")
        #expect(!repo.exists("pipe.lock") || !(repo.read("pipe.lock") ?? "").contains("g.txt"))
    }

    @Test("resources reach scontrol show job (cpus, memory, time limit) and the stage's variables reach the job")
    func resourcesAndEnvironment() throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("sub/params.yaml", "lr: 0.5\n")
        try repo.write("pipeline.yaml", """
        stages:
          sized:
            cmd: scontrol show job $SLURM_JOB_ID > job.txt && echo "$PIPE_STAGE $PIPE_PARAMS $PIPE_REPO_ROOT" > env.txt && pwd > wd.txt
            wdir: sub
            params: [lr]
            outs: [job.txt, env.txt, wd.txt]
            executor: slurm
            resources: {cpus: 2, mem_mb: 100, runtime: 7}

        """)
        try repo.write("sub/.keep", "")
        let r = try pipe(repo, "repro")
        #expect(r.status == 0, "\(r.all)")
        let job = repo.read("sub/job.txt") ?? ""
        #expect(job.contains("CPUs/Task=2"), "\(job)")
        #expect(job.contains("MinMemoryNode=100M"), "\(job)")
        #expect(job.contains("TimeLimit=00:07:00"), "\(job)")
        #expect(job.contains("JobName=pipe:sized") && job.contains("Comment=pipe run "), "\(job)")
        let root = repo.root.resolvingSymlinksInPath().path
        #expect(repo.read("sub/env.txt")?.hasPrefix("sized {\"lr\":0.5} ") == true, "\(repo.read("sub/env.txt") ?? "")")
        #expect(repo.read("sub/wd.txt").map { URL(fileURLWithPath: $0.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath().path }
                == root + "/sub")
    }

    @Test("SIGINT or SIGTERM to pipe repro cancels every job it submitted: none is left in squeue, no entry reaches the lock",
          arguments: [SIGINT, SIGTERM])
    func interruptCancelsJobs(signal: Int32) throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        let tag = "int\(UInt32.random(in: 0...UInt32.max))"
        try repo.write("pipeline.yaml", """
        stages:
          \(tag)a:
            cmd: sleep 300 && touch a.txt
            outs: [a.txt]
          \(tag)b:
            cmd: sleep 300 && touch b.txt
            outs: [b.txt]

        """)
        let out = Pipe()
        let (p, submitted) = try startRepro(in: repo, output: out, waitingFor: 2, named: tag)
        #expect(submitted.count == 2, "\(submitted)")
        kill(p.processIdentifier, signal)
        let started = Date()
        p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 1, "\(text)")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(text.contains("interrupted"), "\(text)")
        #expect(try SlurmCluster.activeJobs(named: "pipe:\(tag)").isEmpty)
        #expect(!(repo.read("pipe.lock") ?? "").contains(tag) && !repo.exists(".cache/slurm/jobs.json"))
    }

    /// A new repository whose stage (`PREFIX` + a random number, so squeue tells it apart) runs once on Slurm
    /// (`echo one`), then is changed to a long job and run again in the background until its job is RUNNING
    /// (bounded wait), when `end(ID)` (a Slurm client command) ends it from outside. Returns the repository (the
    /// caller removes it), the stage, the second run's exit status and output, the job id, and the first run's lock.
    func secondRun(stagePrefix: String, endedBy end: (String) -> [String]) throws
        -> (repo: Repo, tag: String, status: Int32, output: String, id: String, lock: String?) {
        let repo = try Repo()
        let tag = stagePrefix + String(UInt32.random(in: 0...UInt32.max))
        try repo.write("pipeline.yaml", "stages:\n  \(tag):\n    cmd: echo one > o.txt\n    outs: [o.txt]\n")
        let first = try pipe(repo, "repro", "--executor", "slurm")
        #expect(first.status == 0, "\(first.all)")
        let lock = repo.read("pipe.lock")
        #expect(lock?.contains("echo one > o.txt") == true)
        try repo.write("pipeline.yaml", "stages:\n  \(tag):\n    cmd: echo started; sleep 300; echo two > o.txt\n    outs: [o.txt]\n")
        let out = Pipe()
        let (p, submitted) = try startRepro(in: repo, output: out, waitingFor: 1, named: tag)
        let id = String(submitted.first?.split(separator: "|").first ?? "")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, try !SlurmCluster.run("squeue", "-h", "-j", id, "-o", "%T").hasPrefix("RUNNING") {
            Thread.sleep(forTimeInterval: 0.1)
        }
        _ = try repo.run("/usr/bin/env", end(id), env: SlurmCluster.environment)
        p.waitUntilExit()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (repo, tag, p.terminationStatus, output, id, lock)
    }

    @Test("a job scancelled by someone else fails its stage (exit 1) naming the job, CANCELLED and the log; the lock keeps the previous run")
    func cancelledByAnotherUser() throws {
        guard SlurmCluster.isUp() else { return }
        let r = try secondRun(stagePrefix: "cancel") { ["scancel", $0] }
        let (repo, tag) = (r.repo, r.tag)
        defer { try? FileManager.default.removeItem(at: repo.root) }
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("stage '\(tag)' failed: Slurm job \(r.id) CANCELLED (scancel by a user or an administrator); "
                                  + "log: .cache/slurm/logs/\(tag).log\n"), "\(r.output)")
        #expect(repo.read("pipe.lock") == r.lock && !repo.exists(".cache/slurm/jobs.json"))
        #expect(try SlurmCluster.activeJobs(named: "pipe:\(tag)").isEmpty)
    }

    @Test("a job whose node goes down fails its stage as NODE_FAIL (exit 1, job and log named), is not requeued, and the lock keeps the previous run")
    func nodeFailure() throws {
        guard SlurmCluster.isUp() else { return }
        defer {
            // Back to service for the next tests: resume (refused when the node already returned), then wait for idle.
            _ = try? SlurmCluster.run("scontrol", "update", "nodename=localhost", "state=resume")
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline, !((try? SlurmCluster.run("sinfo", "-h", "-N", "-o", "%T")) ?? "").hasPrefix("idle") {
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        let r = try secondRun(stagePrefix: "node") { _ in ["scontrol", "update", "nodename=localhost", "state=down", "reason=pipe-test"] }
        let (repo, tag) = (r.repo, r.tag)
        defer { try? FileManager.default.removeItem(at: repo.root) }
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("stage '\(tag)' failed: Slurm job \(r.id) NODE_FAIL: the node running it failed; run `pipe repro` again; "
                                  + "log: .cache/slurm/logs/\(tag).log\n"), "\(r.output)")
        #expect(repo.read("pipe.lock") == r.lock)
        #expect(try SlurmCluster.run("squeue", "-h", "--states=all", "-j", r.id, "-o", "%T").hasPrefix("NODE_FAIL"))
    }

    @Test("jobs left by a pipe killed outright are cancelled by the next pipe repro before it submits again")
    func leftoversOfAKilledPipeAreCancelled() throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        let tag = "kill\(UInt32.random(in: 0...UInt32.max))"
        try repo.write("pipeline.yaml", "stages:\n  \(tag):\n    cmd: sleep 300 && touch a.txt\n    outs: [a.txt]\n")
        let (p, submitted) = try startRepro(in: repo, output: Pipe(), waitingFor: 1, named: tag)
        // The ledger is written just after sbatch returns: kill only once it holds the job.
        for _ in 0..<50 where !repo.exists(".cache/slurm/jobs.json") { Thread.sleep(forTimeInterval: 0.05) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let id = String(submitted.first?.split(separator: "|").first ?? "")
        #expect(!id.isEmpty && (repo.read(".cache/slurm/jobs.json") ?? "").contains("\"id\":\"\(id)\""))
        try repo.write("pipeline.yaml", "stages:\n  \(tag):\n    cmd: touch a.txt\n    outs: [a.txt]\n")
        let r = try pipe(repo, "repro", "--executor", "slurm")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("cancelled Slurm job \(id) (stage '\(tag)') left running by an interrupted pipe repro"), "\(r.stdout)")
        #expect(try SlurmCluster.activeJobs(named: "pipe:\(tag)").isEmpty && repo.exists("a.txt"))
    }

    @Test("status and repro --dry name each stage's executor; a stage's own executor: wins over --executor")
    func executorsAreShown() throws {
        let repo = try diamond()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("pipeline.yaml", (repo.read("pipeline.yaml") ?? "").replacingOccurrences(
            of: "    cmd: echo right > right.txt\n", with: "    cmd: echo right > right.txt\n    executor: local\n"))
        let status = try pipe(repo, "status", "--executor", "slurm")
        #expect(status.stdout.contains("left: stale, runs on slurm") && status.stdout.contains("right: stale, runs on local"),
                "\(status.all)")
        let dry = try pipe(repo, "repro", "--dry", "--executor", "slurm")
        #expect(dry.status == 0 && dry.stdout.contains("would run 'join' on slurm because:")
                && dry.stdout.contains("would run 'right' on local because:"), "\(dry.all)")
        let json = try pipe(repo, "status", "--json", "--executor", "slurm")
        #expect(json.stdout.contains(#""name":"right","state":"stale","restorable":false,"reasons":"#)
                && json.stdout.contains(#""executor":"local""#), "\(json.stdout)")
        let plain = try pipe(repo, "status")
        #expect(!plain.stdout.contains("runs on"), "\(plain.stdout)")
    }

    @Test("a job past its runtime is reported as TIMEOUT (Slurm kills a 1-minute job about 65 s in)")
    func runtimeExceededIsTimeout() throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("pipeline.yaml", "stages:\n  slow:\n    cmd: echo started; sleep 600\n    outs: [never.txt]\n    resources: {runtime: 1}\n")
        let r = try pipe(repo, "repro", "--executor", "slurm")
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stderr.contains(#/Slurm job \d+ TIMEOUT: it ran past its runtime of 1 min; raise `runtime:` in its resources; log: .cache\/slurm\/logs\/slow.log\n/#),
                "\(r.stderr)")
        #expect(r.stderr.contains("  | started"), "\(r.stderr)")
    }

    @Test("the shipped pipeline with tiny params runs under --executor slurm and pipe lock --check is then fresh")
    func shippedPipelineOnSlurm() throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try ShippedPipelineRunCacheTests.writeShippedPipeline(into: repo)
        let r = try pipe(repo, "repro", "--executor", "slurm")
        #expect(r.status == 0, "\(r.all)")
        for stage in ShippedPipelineRunCacheTests.stages {
            #expect(r.stdout.contains("Running '\(stage)' on slurm because:"), "\(stage): \(r.stdout)")
        }
        let check = try pipe(repo, "lock", "--check")
        #expect(check.status == 0, "\(check.all)")
    }

    @Test("the config's executor: slurm is the default of pipe repro and pipe exp run, and its slurm: defaults reach sbatch")
    func configDefaultExecutor() throws {
        guard SlurmCluster.isUp() else { return }
        let repo = try diamond()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write(".pipe/config", "executor: slurm\nslurm:\n  partition: debug\n  jobs: 2\n")
        let r = try pipe(repo, "repro")
        #expect(r.status == 0 && r.stdout.contains("Running 'join' on slurm because:"), "\(r.all)")
        #expect(repo.read(".cache/slurm/scripts/join.sh")?.contains("cat left.txt right.txt") == true)
        let exp = try pipe(repo, "exp", "run", "-S", "n=4")
        #expect(exp.status == 0 && exp.stdout.contains("Running 'left' on slurm because:"), "\(exp.all)")
        #expect(repo.read("joined.txt") == "1\n2\n3\n4\nright\n")
    }

    /// Expects `result` to be an exit-2 error whose stderr holds every one of `fragments`.
    func expectUsageError(_ result: Repo.Result, _ fragments: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2 && fragments.allSatisfy { result.stderr.contains($0) }, "\(result.stderr)",
                sourceLocation: sourceLocation)
    }

    @Test("unknown or bad resources, executors and slurm_extra flags pipe owns are exit-2 errors naming the file, line, stage and key")
    func badResourcesAreRefused() throws {
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n    resources: {gpu: 1}\n")
        let unknown = try pipe(repo, "repro", "--executor", "slurm")
        #expect(unknown.status == 2 && unknown.stderr.contains("pipeline.yaml:5:")
                && unknown.stderr.contains("stages.s.resources.gpu: stage 's' runs on Slurm, which has no resource 'gpu'")
                && unknown.stderr.contains("did you mean 'gpus'?"), "\(unknown.stderr)")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n    resources:\n      partiton: debug\n")
        let typo = try pipe(repo, "repro")
        #expect(typo.status == 2 && typo.stderr.contains("pipeline.yaml:6:") && typo.stderr.contains("unknown resource 'partiton' of stage 's'")
                && typo.stderr.contains("did you mean 'partition'?"), "\(typo.stderr)")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n    resources: {runtime: 1h}\n")
        let bad = try pipe(repo, "repro")
        #expect(bad.status == 2 && bad.stderr.contains("resource 'runtime' of stage 's' must be a positive integer (minutes)"), "\(bad.stderr)")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n    executor: slrum\n")
        let executor = try pipe(repo, "status")
        #expect(executor.status == 2 && executor.stderr.contains("pipeline.yaml:5:")
                && executor.stderr.contains("unknown executor 'slrum'") && executor.stderr.contains("did you mean 'slurm'?"),
                "\(executor.stderr)")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n")
        try repo.write(".pipe/config", "executor: slurm\nslurm:\n  partion: debug\n")
        let config = try pipe(repo, "repro", "--dry")
        #expect(config.status == 2 && config.stderr.contains(".pipe/config:3:") && config.stderr.contains("did you mean 'partition'?"),
                "\(config.stderr)")
        try repo.write(".pipe/config", "executor: slurm\nslurm:\n  slurm_extra: --exclusive -p debug\n")
        expectUsageError(try pipe(repo, "repro", "--dry"), ".pipe/config:3:", "'slurm.slurm_extra' sets -p, which pipe sets itself",
                         "use `partition:` in the stage's resources; drop it from slurm_extra")
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent(".pipe/config"))
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n    resources:\n      slurm_extra: --nice=5 --output=mine.log\n")
        expectUsageError(try pipe(repo, "repro", "--executor", "slurm"), "pipeline.yaml:6:",
                         "resource 'slurm_extra' of stage 's' sets --output=mine.log, which pipe sets itself",
                         "pipe sends the job's output to .cache/slurm/logs/STAGE.log")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: touch o\n    outs: [o]\n")
        let flag = try pipe(repo, "repro", "--executor", "slurmm")
        #expect(flag.status == 2 && flag.stderr.contains("did you mean 'slurm'?"), "\(flag.stderr)")
    }
}
