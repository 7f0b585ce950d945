import ArgumentParser
import Foundation
import PipeCore

/// `pipe params`: commands about params values.
struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params", abstract: "Compare params values.", subcommands: [ParamsDiffCommand.self])
}

/// `pipe params diff [A [B]]`: params changed since the lock, or between revisions.
struct ParamsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show params that changed: workspace vs pipe.lock, or between git revisions.",
        discussion: """
        With no revision, compares the values recorded in pipe.lock with the workspace's params files.
        With one revision, compares it with the workspace; with two, compares them.
        """)

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Old revision, then new revision (default: the lock vs the workspace).") var revisions: [String] = []
    @Flag(help: "Show unchanged params too.") var all = false
    @Flag(help: "Between revisions, only params the stages declare (default: every key of their params files).")
    var deps = false
    @Flag(help: "Print JSON: {file: {key: {old, new}}}.") var json = false
    @Flag(help: "Print a Markdown table.") var md = false
    @Option(help: "Decimal digits for numbers in tables.") var precision = 5

    func validate() throws {
        if json && md { throw ValidationError("--json and --md cannot be used together") }
        if revisions.count > 2 { throw ValidationError("at most two revisions can be compared") }
    }

    func run() throws {
        let start = repo.start
        let diff: ParamsDiff
        if revisions.isEmpty {
            diff = ParamsDiff.lockVersusWorkspace(try RepoSnapshot.workspace(from: start))
        } else {
            let sides = try ReportSides.pair(revisions, from: start)
            diff = ParamsDiff.between(sides.old, sides.new, onlyDeclared: deps)
        }
        if json { print(diff.json(all: all), terminator: ""); return }
        if diff.visibleRows(all: all).isEmpty && !md {
            print("No params changed between \(diff.oldName) and \(diff.newName).")
            return
        }
        let table = diff.table(all: all, precision: precision)
        print(md ? table.markdown() : table.text(), terminator: "")
    }
}
