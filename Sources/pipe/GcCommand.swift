import ArgumentParser
import Foundation
import PipeCore

/// `pipe gc`: remove cache objects no kept lock names, and say how much was freed.
struct GcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove cache objects not named by pipe.lock, the experiments' locks or (with --all-commits) git history.")

    @OptionGroup var repo: RepoOptions
    @Flag(help: "Also keep every object named by a pipe.lock in any commit (`git rev-list --all`).") var allCommits = false
    @Flag(help: "Report what would be removed; remove nothing.") var dry = false
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        let start = URL(fileURLWithPath: repo.directory ?? FileManager.default.currentDirectoryPath)
        let workspace = try Workspace.find(from: start)
        let repoLock = try RepoLock(cacheRoot: workspace.cacheRoot)
        defer { _ = repoLock }
        let collector = GarbageCollector(workspace: workspace)
        let report = try collector.collect(keeping: try collector.keptLocks(allCommits: allCommits), dry: dry)
        for warning in report.warnings { Terminal.printErr("warning: " + warning) }
        if allCommits && !report.sources.contains(where: { $0.hasPrefix("commit ") }) {
            Terminal.printErr("warning: --all-commits found no pipe.lock in git history (not a git repository, or no commit holds one)")
        }
        if json {
            print(report.json, terminator: "")
        } else {
            for id in report.removed { print("\(dry ? "would remove" : "removed") \(id)") }
            print(report.summary)
        }
    }
}
