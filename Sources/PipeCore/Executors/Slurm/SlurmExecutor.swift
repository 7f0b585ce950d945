import Foundation
import PipeBasics

/// Runs a stage as a Slurm batch job: writes its script under `.cache/slurm/scripts/`, submits it with
/// `sbatch --parsable` (job name `pipe:STAGE`, comment naming the run and stage, `--chdir` = the stage's wdir,
/// output to `.cache/slurm/logs/STAGE.log`, resources mapped by `SlurmSubmission`), records the job id in the
/// ledger, follows the log while one shared `SlurmMonitor` polls `squeue`, and maps the end state to a
/// `StageExecution` (a TIMEOUT, OUT_OF_MEMORY, CANCELLED or NODE_FAIL says so in `failure`).
///
/// On cancellation (Ctrl-C, SIGTERM, a failure without `--keep-going` does not cancel running jobs) it runs
/// `scancel` and returns only once the controller reports the job over. Shared filesystem assumed: the job
/// sees the repository, the cache and the build products at the same paths (docs/slurm.md).
public final class SlurmExecutor: StageExecutor, @unchecked Sendable {
    /// The run's identifier, in every job's comment (`pipe run RUN stage STAGE`).
    public let run: String
    /// Where scripts, logs and the ledger live (`.cache/slurm`).
    public let directory: URL
    /// The config's `slurm:` text defaults (`partition`, `account`, …), under each stage's own.
    public var defaults: [String: String]
    /// Lines of the log kept for a failure message.
    public var tailLines = 20
    /// The ledger of jobs in flight.
    public let ledger: SlurmJobLedger

    private let control: any SlurmControl
    private let monitor: SlurmMonitor

    /// An executor submitting through `control` for the repository whose cache is `cacheRoot`.
    public init(control: any SlurmControl, cacheRoot: URL, defaults: [String: String] = [:], run: String = SlurmExecutor.newRunID()) {
        self.control = control
        self.directory = cacheRoot.appendingPathComponent("slurm")
        self.defaults = defaults
        self.run = run
        self.ledger = SlurmJobLedger(cacheRoot: cacheRoot)
        self.monitor = SlurmMonitor(control: control)
    }

    /// `YYYYMMDDTHHMMSS-PID`: unique per pipe process, readable in `squeue`.
    public static func newRunID() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss"
        return "\(f.string(from: Date()))-\(getpid())"
    }

    /// How many `squeue` polls this executor made.
    public var polls: Int { monitor.polls }

    public func run(_ job: StageJob, cancellation: StageCancellation,
                    output: @escaping @Sendable (_ line: String, _ isStderr: Bool) -> Void) throws -> StageExecution {
        let file = job.stage.replacingOccurrences(of: "/", with: "_")
        let script = directory.appendingPathComponent("scripts/\(file).sh")
        let log = directory.appendingPathComponent("logs/\(file).log")
        let submission = SlurmSubmission(job: job, run: run, log: log, defaults: defaults)
        try AtomicFile.write(Data(submission.script.utf8), to: script, permissions: 0o755)
        try? FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? FileManager.default.removeItem(at: log)
        let command = job.commands.count == 1 ? job.commands[0] : ["sh", script.path]
        if cancellation.isCancelled {
            return StageExecution(command: command, exitStatus: 128 + SIGTERM, signal: SIGTERM, failure: "not submitted: interrupted")
        }

        let environment = ProcessInfo.processInfo.environment.merging(job.variables) { $1 }
        let id: String
        do {
            id = try control.submit(script: script, arguments: submission.arguments, environment: environment)
        } catch var error as PipeError {
            // A request the cluster refuses (partition, account, gres, limits) fails here, named by its stage.
            error.message = "stage '\(job.stage)' failed: " + error.message
            throw error
        }
        monitor.watch(id)
        defer { monitor.forget(id) }
        try ledger.add(.init(id: id, stage: job.stage, run: run, log: log.path))
        cancellation.onCancel { [monitor] in monitor.hurry() }

        let follower = LogFollower(url: log)
        // One log holds stdout and stderr: StageKit progress lines are passed on as stderr, so they show as progress.
        let emit = { (line: String) in output(line, ProgressLine(parsing: line) != nil) }
        var cancelSent = false
        var final: SlurmMonitor.Knowledge = .waiting
        while true {
            let now = monitor.knowledge(of: id, waitingUpTo: 0.25)
            for line in follower.newLines() { emit(line) }
            if now.isFinal { final = now; break }
            if cancellation.isCancelled && !cancelSent {
                try control.cancel([id])
                cancelSent = true
                monitor.hurry()
            }
        }
        for line in follower.remainingLines() { emit(line) }
        try ledger.remove(id: id)

        var execution = Self.execution(of: id, final: final, cancelSent: cancelSent, command: command, job: job,
                                       tail: Array(follower.allLines.suffix(tailLines)))
        // Every failure names the job's log (the error shows only its tail): where the whole output is.
        if let failure = execution.failure { execution.failure = failure + "; log: " + Self.displayPath(of: log, in: job.repoRoot) }
        return execution
    }

    /// `url` relative to the repository when inside it (`.cache/slurm/logs/train.log`), else absolute.
    static func displayPath(of url: URL, in root: URL) -> String {
        let prefix = root.standardizedFileURL.path + "/"
        let path = url.standardizedFileURL.path
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// What the job's end (or pipe losing track of it) means for the stage.
    private static func execution(of id: String, final: SlurmMonitor.Knowledge, cancelSent: Bool, command: [String],
                                  job: StageJob, tail: [String]) -> StageExecution {
        switch final {
        case let .known(status):
            if cancelSent && status.state == .cancelled {
                return StageExecution(command: command, exitStatus: 128 + SIGTERM, signal: SIGTERM, logTail: tail,
                                      failure: "Slurm job \(id) cancelled by pipe (interrupted)")
            }
            return status.execution(command: command, resources: job.resources, logTail: tail)
        case let .unreachable(error):
            return StageExecution(command: command, exitStatus: 1, logTail: tail,
                                  failure: "lost track of Slurm job \(id): squeue kept failing (\(error)); check it with `squeue -j \(id)`")
        case .vanished, .waiting:
            return StageExecution(command: command, exitStatus: 1, logTail: tail,
                                  failure: "Slurm job \(id) left the queue before pipe saw how it ended (raise MinJobAge?)")
        }
    }
}

/// Reads the lines a job appends to its log (shared filesystem), from where it left off.
final class LogFollower {
    let url: URL
    private var offset: UInt64 = 0
    private var pending = Data()
    private(set) var allLines: [String] = []

    init(url: URL) { self.url = url }

    /// Complete lines written since the last call.
    func newLines() -> [String] {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = handle.readDataToEndOfFile()
        offset += UInt64(data.count)
        pending.append(data)
        var lines: [String] = []
        while let nl = pending.firstIndex(of: 10) {
            lines.append(String(decoding: pending[pending.startIndex..<nl], as: UTF8.self))
            pending = Data(pending[(nl + 1)...])
        }
        allLines += lines
        return lines
    }

    /// Everything not yet returned, the last line even without its newline.
    func remainingLines() -> [String] {
        var lines = newLines()
        if !pending.isEmpty {
            let last = String(decoding: pending, as: UTF8.self)
            pending = Data()
            allLines.append(last)
            lines.append(last)
        }
        return lines
    }
}
