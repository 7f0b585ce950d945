/// What happens during `pipe repro`, in order per stage, for the CLI to print (or a test to record).
public enum ReproEvent: Sendable {
    /// The stage is current; nothing to do.
    case upToDate(stage: String)
    /// The stage is frozen and was not considered.
    case frozen(stage: String)
    /// Outputs were missing or modified and were restored from the cache instead of a rerun.
    case restored(stage: String, paths: [String])
    /// The run cache had this exact (cmd, deps, params): outputs restored instead of running.
    case restoredFromRunCache(stage: String, reasons: [InvalidationReason])
    /// The stage is about to run (or would, with `--dry`), with every reason.
    case willRun(stage: String, reasons: [InvalidationReason], dry: Bool)
    /// A line the stage wrote.
    case output(stage: String, line: String, isStderr: Bool)
    /// A progress report from a StageKit stage (`pipe:progress {...}` on stderr).
    case progress(stage: String, done: Int, total: Int, message: String)
    /// The stage succeeded; `changedOutputs` false means early cutoff for its dependants.
    case finished(stage: String, seconds: Double, changedOutputs: Bool)
    /// The stage failed; its old lock entry is kept and its outputs are not cached.
    case failed(stage: String, error: PipeError, stderrTail: [String])
    /// Not run because an upstream stage failed (`--keep-going`).
    case skippedAfterFailure(stage: String, failed: String)
}

/// The outcome of `pipe repro`.
public struct ReproSummary: Sendable {
    public var ran: [String] = []
    public var restored: [String] = []
    /// Stages whose outputs came from the run cache.
    public var runCacheHits: [String] = []
    public var upToDate: [String] = []
    public var failed: [String] = []
    public var skipped: [String] = []
    /// Every reason each stage ran (or would run) for, to explain chains of causes.
    public var reasons: [String: [InvalidationReason]] = [:]
    public init() {}
}

/// The knobs of `pipe repro`.
public struct ReproOptions: Sendable {
    public var targets: [String] = []
    /// Targets are patterns over stage names (`--glob`).
    public var glob = false
    /// Run the selected stages even when current (and ignore the run cache).
    public var force = false
    /// Only the targets, not their upstream.
    public var singleItem = false
    /// The targets and everything downstream of them.
    public var downstream = false
    /// Print the plan with reasons; change nothing.
    public var dry = false
    /// After a failure, keep running branches that do not depend on it.
    public var keepGoing = false
    /// `-p/--pipeline`: the targets stand for every stage connected to them (their weakly connected component).
    public var wholePipeline = false
    /// `--no-commit`: run and lock, but leave the outputs out of `.cache` and the run cache (DVC's flag).
    public var noCommit = false
    /// `--force-downstream`: every stage below one that ran (or came from the run cache) runs too, forced, even
    /// when its inputs hash as before (no early cutoff).
    public var forceDownstream = false
    /// How many stages may run at once (the capacity of the `cores` resource).
    public var jobs = 1
    /// Restore outputs from the run cache when a stage's (cmd, deps, params) ran before.
    public var useRunCache = true
    /// Capacities of named resources other than `cores` (default 1 each: stages sharing one never overlap).
    public var resourceCapacities: [String: Int] = [:]
    /// `--pull`: objects and run-cache entries the cache lacks are fetched from here when that spares a rerun.
    public var missingObjects: (any MissingObjectSource)?
    /// `--allow-missing`: data missing here but recorded in the lock (outs, deps) is no reason to rerun.
    public var allowMissing = false
    public init() {}
}
