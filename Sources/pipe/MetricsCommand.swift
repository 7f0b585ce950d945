import ArgumentParser
import Foundation
import PipeCore

/// `pipe metrics`: show and compare the metrics files stages declare.
struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Show and compare metrics.",
        subcommands: [MetricsShowCommand.self, MetricsDiffCommand.self])

    /// Warns on stderr about metrics files that do not exist on `side`.
    static func warnMissing(_ paths: [String], side: String) {
        for path in paths {
            Terminal.printErr("warning: metrics file \(path) does not exist in \(side); run the stage that writes it (`pipe repro`)")
        }
    }
}

/// `pipe metrics show [TARGETS]`: one row per metrics file, or a section per file when that is too wide.
struct MetricsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the workspace's metrics files as a table.")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Metrics files to show (default: every file declared under 'metrics:').") var targets: [String] = []
    @Flag(help: "Print JSON: {schema, metrics: {path: {…}}, missing: [path]}.") var json = false
    @Flag(help: "Print a Markdown table.") var md = false
    @Option(help: "Decimal digits for numbers in tables.") var precision = 5
    @OptionGroup var layout: ReportWidthOption

    func validate() throws {
        if json && md { throw ValidationError("--json and --md cannot be used together") }
    }

    func run() throws {
        let cwd = repo.start
        let snapshot = try RepoSnapshot.workspace(from: cwd)
        let paths = try targets.map { try ReportSides.repoRelative($0, cwd: cwd, root: snapshot.repoRoot) }
        let metrics = try MetricsSnapshot.read(snapshot, targets: paths)
        if json { print(MetricsTable.json(metrics), terminator: ""); return }
        MetricsCommand.warnMissing(metrics.missing, side: "the workspace")
        if metrics.files.isEmpty {
            Terminal.printErr("no metrics files are declared in \(snapshot.pipeline.file) (add 'metrics:' to a stage)")
            return
        }
        guard metrics.files.count > metrics.missing.count else { return }
        print(md ? MetricsTable.table(metrics, precision: precision).markdown()
                 : MetricsTable.text(metrics, width: layout.resolved, precision: precision), terminator: "")
    }
}

/// `pipe metrics diff [A [B]]`: metrics that changed between two sides, with the numeric change.
struct MetricsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Compare metrics between git revisions (default: HEAD vs the workspace).")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Old revision (default HEAD), then new revision (default: the workspace).") var revisions: [String] = []
    @Option(parsing: .upToNextOption, help: "Metrics files to compare (default: every declared one).")
    var targets: [String] = []
    @Flag(help: "Show unchanged metrics too.") var all = false
    @Flag(help: "Print JSON: {path: {metric: {old, new, diff}}}.") var json = false
    @Flag(help: "Print a Markdown table.") var md = false
    @Option(help: "Decimal digits for numbers in tables.") var precision = 5
    @OptionGroup var layout: ReportWidthOption

    func validate() throws {
        if json && md { throw ValidationError("--json and --md cannot be used together") }
        if revisions.count > 2 { throw ValidationError("at most two revisions can be compared") }
    }

    func run() throws {
        let start = repo.start
        let sides = try ReportSides.pair(revisions, from: start)
        let paths = try targets.map { try ReportSides.repoRelative($0, cwd: start, root: sides.new.repoRoot) }
        let diff = MetricsDiff(old: try MetricsSnapshot.read(sides.old, targets: paths),
                               new: try MetricsSnapshot.read(sides.new, targets: paths))
        if json { print(diff.json(all: all), terminator: ""); return }
        MetricsCommand.warnMissing(diff.missingOld, side: diff.oldName)
        MetricsCommand.warnMissing(diff.missingNew, side: diff.newName)
        if diff.visibleRows(all: all).isEmpty && !md {
            print("No metrics changed between \(diff.oldName) and \(diff.newName).")
            return
        }
        print(md ? diff.table(all: all, precision: precision).markdown()
                 : diff.text(all: all, width: layout.resolved, precision: precision), terminator: "")
    }
}
