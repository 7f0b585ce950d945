import ArgumentParser
import Foundation
import PipeCore

/// `pipe repro`: run the stages that are invalidated, in order, each announced with its reasons.
struct ReproCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro", abstract: "Reproduce stale stages (and only those).")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages to reproduce (with their upstream): a stage, a foreach/matrix group, pipeline.yaml:NAME; all when omitted.")
    var stages: [String] = []
    @Flag(help: "The targets are patterns over stage names, e.g. 'train@*' (quote them).") var glob = false
    @Flag(name: [.short, .long], help: "Run the selected stages even when up to date.") var force = false
    @Flag(name: [.customShort("s"), .customLong("single-item")], help: "Only the named stages, not their upstream.")
    var singleItem = false
    @Flag(help: "The named stages and everything downstream of them.") var downstream = false
    @Flag(help: "Print what would run and why; change nothing.") var dry = false
    @Flag(name: [.customShort("k"), .long], help: "After a failure, keep running branches that do not depend on it.")
    var keepGoing = false
    @Flag(name: [.customShort("p"), .long],
          help: "Also every stage connected to the targets (the whole pipeline they belong to), as in DVC.")
    var pipeline = false
    @Flag(name: [.customShort("P"), .long], help: "Every stage of the pipeline, whatever the targets.")
    var allPipelines = false
    @Flag(help: "Run stages and lock them, but do not store their outputs in .cache (`pipe commit` does later).")
    var noCommit = false
    @Flag(help: "Run every stage below one that runs, even when its inputs did not change (no early cutoff).")
    var forceDownstream = false
    @Option(name: [.short, .customLong("jobs")], help: "Stages to run at once (default: number of cores; Slurm jobs: unbounded).")
    var jobs: Int?
    @Option(help: "Where stages run: local or slurm (default: the config's executor, else local; a stage's own executor: wins).")
    var executor: String?
    @Flag(help: "Never restore outputs from the run cache; run the stages.") var noRunCache = false
    @Option(name: .customLong("resource"), help: "Capacity of a named resource stages declare, NAME=N (default 1).")
    var resources: [String] = []
    @Flag(help: "Print, for each stage that runs, the chain of causes back to the edited file or param.")
    var explain = false
    @Flag(help: "Fetch from the remotes what spares a rerun: the outs of stages that need not run, run-cache entries.")
    var pull = false
    @Flag(help: "Data missing here but recorded in pipe.lock (outs, deps) is no reason to rerun a stage.")
    var allowMissing = false
    @Flag(help: "Log this repro as one run on the MLflow tracking server (MLFLOW_TRACKING_URI or .pipe/config).")
    var track = false

    func validate() throws {
        // as in DVC: without targets every stage is selected (-s, -p and --downstream included), and -s wins over
        // --downstream and -p (the named stages alone)
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try resourceCapacities()
    }

    func run() async throws {
        // deps are checked for the stages the plan runs only (`Reproducer.run`), as DVC does
        let project = try repo.project(validateDeps: false)
        var options = ReproOptions()
        options.targets = allPipelines ? [] : stages
        options.wholePipeline = pipeline
        options.noCommit = noCommit
        options.forceDownstream = forceDownstream
        options.glob = glob
        options.force = force
        options.singleItem = singleItem
        options.downstream = downstream
        options.dry = dry
        options.keepGoing = keepGoing
        options.useRunCache = !noRunCache
        options.resourceCapacities = try resourceCapacities()
        options.allowMissing = allowMissing
        let printer = ReproPrinter(explainWith: explain ? project.graph : nil)
        let summary = try await PullingRepro.run(pull: pull, project: project) { [options] missing in
            var options = options
            options.missingObjects = missing
            return try reproduce(project, options, printer)
        }
        printer.finish(summary, dry: dry)
    }

    /// One repro under the repository lock (none for `--dry`), stage signals forwarded, tracked with `--track`.
    private func reproduce(_ project: Project, _ options: ReproOptions, _ printer: ReproPrinter) throws -> ReproSummary {
        var options = options
        let repoLock = dry ? nil : try project.acquireLock()
        defer { _ = repoLock }
        let requested = try executor.map { try ExecutorKind.parse($0, keyPath: "--executor") }
        return try Tracking.around(project, kind: .repro, name: nil, required: track, enabled: track && !dry) { observe in
            let reproducer = try project.reproducer { printer.handle($0); observe($0) }
            try project.setUpExecutors(of: reproducer, requested: requested, jobs: jobs, options: &options) { print($0) }
            printer.executors = reproducer.executorPlan
            SignalForwarding.install()
            return (try reproducer.run(options), nil)
        }
    }

    func resourceCapacities() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for spec in resources {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, let n = Int(parts[1]), n > 0 else {
                throw ValidationError("--resource takes NAME=N with N > 0, e.g. --resource heavy=1 (got '\(spec)')")
            }
            result[parts[0]] = n
        }
        return result
    }
}
