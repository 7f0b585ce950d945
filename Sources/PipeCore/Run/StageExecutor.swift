import Foundation

/// What an executor runs for one stage: the commands and their environment, decided by the engine, which hashes
/// the deps before and the outs after and writes lock and caches itself (design §8).
public struct StageJob: Sendable {
    /// The stage's name.
    public var stage: String
    /// One argv per command, run in order until one fails (`StageLaunch.commands(for:)`: plugins by absolute path).
    public var commands: [[String]]
    /// The variables the stage reads (`PIPE_STAGE`, `PIPE_REPO_ROOT`, `PIPE_PARAMS` = the declared params as JSON);
    /// an executor adds them to the environment it runs the commands in.
    public var variables: [String: String]
    /// The repository root.
    public var repoRoot: URL
    /// The stage's working directory (absolute).
    public var workingDirectory: URL
    /// The stage's declared `resources:` (e.g. `cores`, `mem_mb`, `gpus`), for executors that request them.
    public var resources: [String: Int]
    /// The stage's text-valued `resources:` (`partition`, `account`, `qos`, `constraint`, `gres`, `slurm_extra`).
    public var resourceSettings: [String: String]

    /// A job; see each property.
    public init(stage: String, commands: [[String]], variables: [String: String], repoRoot: URL,
                workingDirectory: URL, resources: [String: Int], resourceSettings: [String: String] = [:]) {
        self.stage = stage
        self.commands = commands
        self.variables = variables
        self.repoRoot = repoRoot
        self.workingDirectory = workingDirectory
        self.resources = resources
        self.resourceSettings = resourceSettings
    }
}

/// How a job's commands ended: the last command run and its status, with the tail of its log for the failure
/// message.
public struct StageExecution: Sendable, Equatable {
    /// The argv of the last command run (the one that failed, when one did).
    public var command: [String]
    /// Its exit status (128 + N when killed by signal N).
    public var exitStatus: Int32
    /// Set when it died of a signal.
    public var signal: Int32?
    /// The last lines it wrote on stderr (or the job log's tail, for a batch system).
    public var logTail: [String]
    /// How the job ended, in words, when a batch system reports more than an exit status (e.g. `Slurm job 12
    /// TIMEOUT: ...`); the failure message then says this instead of the status.
    public var failure: String?

    /// Whether every command ran and succeeded.
    public var succeeded: Bool { exitStatus == 0 && signal == nil && failure == nil }

    /// An execution record; see each property.
    public init(command: [String], exitStatus: Int32, signal: Int32? = nil, logTail: [String] = [],
                failure: String? = nil) {
        self.command = command
        self.exitStatus = exitStatus
        self.signal = signal
        self.logTail = logTail
        self.failure = failure
    }
}

/// Runs a stage's commands somewhere — a local subprocess (`LocalExecutor`) or a batch system — and nothing else:
/// what runs, hashing, caching and locking stay with the engine on the submitting machine.
///
/// Called on a thread of its own per stage, possibly several at once; blocks until the job ends.
public protocol StageExecutor: Sendable {
    /// Runs `job.commands` in order until one fails or `cancellation` is cancelled, streaming each line the
    /// commands write to `output` (stderr lines flagged, progress lines included), and returns how the last one
    /// ended. On cancellation it stops the running command (local: the signal reaches its process group; a batch
    /// system: cancel the job) and returns once it has stopped.
    ///
    /// - Throws: `PipeError` when a command cannot be started at all (not found, submission refused).
    func run(_ job: StageJob, cancellation: StageCancellation,
             output: @escaping @Sendable (_ line: String, _ isStderr: Bool) -> Void) throws -> StageExecution
}
