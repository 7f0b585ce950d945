import ArgumentParser
import Foundation
import PipeCore

/// `pipe repro`: run the stages that are invalidated, in order, each announced with its reasons.
struct ReproCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repro", abstract: "Reproduce stale stages (and only those).")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages to reproduce (with their upstream); all when omitted.") var stages: [String] = []
    @Flag(name: [.short, .long], help: "Run the selected stages even when up to date.") var force = false
    @Flag(name: [.customShort("s"), .customLong("single-item")], help: "Only the named stages, not their upstream.")
    var singleItem = false
    @Flag(help: "The named stages and everything downstream of them.") var downstream = false
    @Flag(help: "Print what would run and why; change nothing.") var dry = false
    @Flag(help: "After a failure, keep running branches that do not depend on it.") var keepGoing = false
    @Option(name: [.short, .customLong("jobs")], help: "Stages to run at once (default: number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Never restore outputs from the run cache; run the stages.") var noRunCache = false
    @Option(name: .customLong("resource"), help: "Capacity of a named resource stages declare, NAME=N (default 1).")
    var resources: [String] = []
    @Flag(help: "Print, for each stage that runs, the chain of causes back to the edited file or param.")
    var explain = false
    @Flag(help: "Log this repro as one run on the MLflow tracking server (MLFLOW_TRACKING_URI or .pipe/config).")
    var track = false

    func validate() throws {
        if singleItem && stages.isEmpty { throw ValidationError("--single-item needs at least one stage") }
        if downstream && stages.isEmpty { throw ValidationError("--downstream needs at least one stage") }
        if singleItem && downstream { throw ValidationError("--single-item and --downstream cannot be combined") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        _ = try resourceCapacities()
    }

    func run() throws {
        let project = try repo.project()
        var options = ReproOptions()
        options.targets = stages
        options.force = force
        options.singleItem = singleItem
        options.downstream = downstream
        options.dry = dry
        options.keepGoing = keepGoing
        options.jobs = jobs
        options.useRunCache = !noRunCache
        options.resourceCapacities = try resourceCapacities()
        let printer = ReproPrinter(explainWith: explain ? project.graph : nil)
        let repoLock = dry ? nil : try project.acquireLock()
        defer { _ = repoLock }
        let summary = try Tracking.around(project, kind: .repro, name: nil, required: track, enabled: track && !dry) { observe in
            let reproducer = try project.reproducer { printer.handle($0); observe($0) }
            SignalForwarding.install()
            return (try reproducer.run(options), nil)
        }
        printer.finish(summary, dry: dry)
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
