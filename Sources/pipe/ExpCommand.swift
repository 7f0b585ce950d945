import ArgumentParser
import Foundation
import PipeCore

/// `pipe exp`: run experiments with changed params, compare them, bring one back.
struct ExpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exp", abstract: "Run, compare and apply experiments.",
        subcommands: [ExpRunCommand.self, ExpShowCommand.self, ExpApplyCommand.self, ExpPushTrackingCommand.self])
}

/// `pipe exp run`: apply `-S` overrides to the params files (comments and layout kept), reproduce, record.
struct ExpRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Change params, reproduce, and record the result as an experiment.")

    @OptionGroup var repo: RepoOptions
    @Option(name: [.customShort("S"), .customLong("set-param")],
            help: ArgumentHelp("Set a param: key=value, or file.yaml:key=value.", valueName: "key=value"))
    var setParams: [String] = []
    @Option(name: [.short, .long], help: "Name of the experiment (default: exp- and a hash).") var name: String?
    @Argument(help: "Stages to reproduce (with their upstream); all when omitted.") var stages: [String] = []
    @Flag(name: [.short, .long], help: "Run the selected stages even when up to date.") var force = false
    @Flag(help: "Fetch from the remotes what spares a rerun (as repro --pull).") var pull = false
    @Flag(help: "Data missing here but recorded in pipe.lock is no reason to rerun a stage (as repro --allow-missing).")
    var allowMissing = false

    func run() async throws {
        let overrides = try setParams.map { try ParamsOverride(parsing: $0) }
        let start = repo.start
        let workspace = try Workspace.find(from: start)
        let repoLock = try RepoLock(cacheRoot: workspace.cacheRoot)
        defer { _ = repoLock }
        if let name { try ExperimentStore(cacheRoot: workspace.cacheRoot).checkAvailable(name) }
        _ = try Project.open(from: workspace.root)   // an invalid pipeline fails before any params file changes
        let applied = try ParamsEditor.apply(overrides, repoRoot: workspace.root)
        let project: Project
        do {
            project = try Project.open(from: workspace.root)
        } catch {
            try ParamsEditor.restore(applied.previous, repoRoot: workspace.root)   // the new values made it invalid
            throw error
        }
        for file in applied.changed { print("Modified \(file)") }
        var options = ReproOptions()
        options.targets = stages
        options.force = force
        options.allowMissing = allowMissing
        let printer = ReproPrinter()
        let recorded = try await PullingRepro.run(pull: pull, project: project) { [options] missing in
            var options = options
            options.missingObjects = missing
            return try Tracking.around(project, kind: .experiment, name: name) { track in
                let reproducer = try project.reproducer { printer.handle($0); track($0) }
                // The stages' and the config's executors apply; one stage at a time, as before.
                try project.setUpExecutors(of: reproducer, requested: nil, jobs: 1, options: &options) { print($0) }
                printer.executors = reproducer.executorPlan
                SignalForwarding.install()
                let summary = try reproducer.run(options)
                printer.finish(summary, dry: false)
                let recorded = try project.recordExperiment(name: name, overrides: applied.overrides)
                return (recorded, recorded.record.name)
            }
        }
        for warning in recorded.warnings { Terminal.printErr("warning: " + warning) }
        if recorded.isNew {
            print("Recorded experiment '\(recorded.record.name)'")
        } else {
            print("Same result as experiment '\(recorded.record.name)', already recorded")
        }
    }
}

/// `pipe exp show`: the workspace and each experiment side by side.
struct ExpShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Compare experiments: changed params and metrics, one row each.")

    @OptionGroup var repo: RepoOptions
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(help: "Print a Markdown table.") var md = false
    @Flag(help: "Only the params and metrics whose values differ between the rows shown.") var onlyChanged = false
    @Option(help: ArgumentHelp("Show the params and metrics matching this glob (e.g. 'sft.*'); repeatable.",
                               valueName: "pattern"))
    var keys: [String] = []
    @Option(help: ArgumentHelp("Always show the columns this regex matches (from the name's start), whatever the other options say.",
                               valueName: "regex"))
    var keep: String?
    @Option(help: ArgumentHelp("Hide the columns this regex matches (from the name's start), e.g. 'Created'.",
                               valueName: "regex"))
    var drop: String?
    @OptionGroup var layout: ReportWidthOption
    @Flag(help: "Also list this project's runs on the MLflow tracking server.") var mlflow = false

    func validate() throws {
        if json && md { throw ValidationError("--json and --md cannot be combined") }
        if mlflow && (json || md) { throw ValidationError("--mlflow prints a plain table; it cannot be combined with --json or --md") }
    }

    func run() throws {
        let project = try repo.project(validateDeps: false)
        let (metrics, warnings) = project.currentMetrics()
        for warning in warnings { Terminal.printErr("warning: " + warning) }
        let table = try ExperimentTable(workspaceParams: project.currentParams(), workspaceMetrics: metrics,
                                    experiments: try project.experiments.all())
            .selecting(ExperimentColumnSelection(onlyChanged: onlyChanged, keys: keys, keep: keep, drop: drop))
        print(json ? table.json() : md ? table.markdown() : table.plainText(width: layout.resolved), terminator: "")
        if mlflow { print(try Tracking.runsTable(project.workspace), terminator: "") }
    }
}

/// `pipe exp apply NAME`: bring an experiment's params, lock and outputs back into the workspace.
struct ExpApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply", abstract: "Restore an experiment's params, pipe.lock and outputs into the workspace.")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "The experiment's name (or id prefix).") var experiment: String

    func run() throws {
        let start = repo.start
        let workspace = try Workspace.find(from: start)
        let repoLock = try RepoLock(cacheRoot: workspace.cacheRoot)
        defer { _ = repoLock }
        let result = try Project.applyExperiment(named: experiment, in: workspace)
        for path in result.written { print("Restored \(path)") }
        for path in result.checkout.restored { print("Checked out \(path)") }
        for path in result.checkout.unavailable {
            Terminal.printErr("cannot restore \(path): not in the cache (run `pipe repro` to rebuild it)")
        }
        print("Applied experiment '\(result.record.name)'")
        if !result.checkout.unavailable.isEmpty { throw ExitCode(1) }
    }
}
