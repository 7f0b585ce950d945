import ArgumentParser
import Foundation
import PipeCore

/// `pipe gc`: remove cache objects no kept lock or run-cache entry names, and say how much was freed.
struct GcCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove cache objects not named by pipe.lock, the experiments' locks, the run cache or (with --all-commits) git history.",
        discussion: """
        Objects named by a usable run-cache entry are kept, so `repro` can still restore a configuration seen \
        before; entries that can no longer be used (damaged, or naming an object already gone) are deleted. \
        --drop-run-cache deletes every run-cache entry first, so objects only the run cache names are removed too.
        """)

    @OptionGroup var repo: RepoOptions
    @Flag(help: "Also keep every object named by a pipe.lock in any commit (`git rev-list --all`).") var allCommits = false
    @Flag(help: "Delete every run-cache entry, and the objects only they name (later runs of those configurations rerun).")
    var dropRunCache = false
    @Flag(help: "Report what would be removed; remove nothing.") var dry = false
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(name: [.short, .customLong("cloud")], help: "Collect the remote instead: remove remote objects no kept lock or remote run-cache entry names.")
    var cloud = false
    @Option(name: [.customShort("r"), .customLong("remote")], help: "With --cloud: the remote (else the default).")
    var remote: String?

    func validate() throws {
        if cloud && (dropRunCache || json) { throw ValidationError("--cloud does not take --drop-run-cache or --json") }
        if !cloud && remote != nil { throw ValidationError("-r goes with --cloud") }
    }

    func run() async throws {
        if cloud {
            let project = try repo.project(validateDeps: false)
            let report = try await RemoteStorages.with { factory in
                try await project.collectRemote(.init(remote: remote, allCommits: allCommits), dry: dry, factory: factory)
            }
            for warning in report.warnings { Terminal.printErr("warning: " + warning) }
            for key in report.removed { print("\(dry ? "would remove" : "removed") \(key)") }
            print(report.summary)
            return
        }
        let start = repo.start
        let workspace = try Workspace.find(from: start)
        let repoLock = try RepoLock(cacheRoot: workspace.cacheRoot)
        defer { _ = repoLock }
        let collector = GarbageCollector(workspace: workspace)
        let report = try collector.collect(keeping: try collector.keptLocks(allCommits: allCommits),
                                           runCache: dropRunCache ? .drop : .keep, dry: dry)
        for warning in report.warnings { Terminal.printErr("warning: " + warning) }
        if allCommits && !report.sources.contains(where: { $0.hasPrefix("commit ") }) {
            Terminal.printErr("warning: --all-commits found no pipe.lock in git history (not a git repository, or no commit holds one)")
        }
        if json {
            print(report.json, terminator: "")
        } else {
            let verb = dry ? "would remove" : "removed"
            for entry in report.runCacheEntriesRemoved { print("\(verb) run-cache entry \(entry.key.hex) (\(entry.reason))") }
            for id in report.removed { print("\(verb) \(id)") }
            print(report.summary)
        }
    }
}
