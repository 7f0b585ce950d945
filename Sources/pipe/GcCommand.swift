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
    @Flag(name: [.customShort("w"), .customLong("workspace")],
          help: "Keep what the workspace's pipe.lock and the experiments name (always kept; dvc gc's scope flag, accepted).")
    var workspace = false
    @Flag(name: [.customShort("a"), .customLong("all-branches")], help: "Also keep what every branch tip's pipe.lock names.")
    var allBranches = false
    @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "Also keep what every tag's pipe.lock names.")
    var allTags = false
    @Flag(help: "Also keep every object named by a pipe.lock in any commit (`git rev-list --all`).") var allCommits = false
    @Flag(help: "Delete every run-cache entry, and the objects only they name (later runs of those configurations rerun).")
    var dropRunCache = false
    @Flag(help: "Report what would be removed; remove nothing.") var dry = false
    @Flag(help: "Print one JSON object.") var json = false
    @Flag(name: [.short, .customLong("cloud")],
          help: "Also collect the remote (after .cache, as dvc gc -c): remove remote objects no kept lock or remote run-cache entry names.")
    var cloud = false
    @Option(name: [.customShort("r"), .customLong("remote")], help: "With --cloud: the remote (else the default).")
    var remote: String?
    @Flag(name: [.customShort("f"), .customLong("force")], help: "With --cloud: do not ask for confirmation (asked only on a terminal).")
    var force = false

    func validate() throws {
        if cloud && (dropRunCache || json) { throw ValidationError("--cloud does not take --drop-run-cache or --json") }
        if !cloud && remote != nil { throw ValidationError("-r goes with --cloud") }
    }

    func run() async throws {
        if cloud {
            let project = try repo.project(validateDeps: false)
            _ = try ProjectConfig.load(in: project.workspace).remote(named: remote)   // a bad -r stops before the question
            let locks = try GarbageCollector(workspace: project.workspace)
                .keptLocks(allCommits: allCommits, allBranches: allBranches, allTags: allTags)
            // dvc gc -c always asks; pipe asks a person at a terminal, and a script (stdin not a TTY) proceeds as
            // issue 12 specifies `pipe gc --cloud` (docs/remote-cache.md, deliberate differences).
            if !dry && !force && isatty(0) == 1 { try confirm() }
            let reports = try await RemoteStorages.with { factory in
                try await project.collectRemotes(.init(remote: remote), keeping: locks, dry: dry, factory: factory,
                                                 afterProbing: { try collectLocal(keeping: locks) })
            }
            for report in reports {
                for warning in report.warnings { Terminal.printErr("warning: remote '\(report.remoteName)': " + warning) }
                for key in report.removed { print("\(dry ? "would remove" : "removed") \(key)") }
                print(report.summary)
            }
            return
        }
        try collectLocal(keeping: nil)
    }

    /// DVC's question before a gc that deletes from a remote; anything but y/yes (or no answer) stops it, exit 1.
    private func confirm() throws {
        var keeps = ["the workspace and its experiments"]
        if allBranches { keeps.append("every branch") }
        if allTags { keeps.append("every tag") }
        if allCommits { keeps.append("every commit") }
        Terminal.printErr("warning: this removes every object of .cache and of the remote except those used by "
                          + keeps.joined(separator: ", "))
        FileHandle.standardError.write(Data("Are you sure you want to proceed? [y/n]: ".utf8))
        let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else {
            throw PipeError(.interrupted, "gc --cloud not confirmed: nothing was removed",
                            fix: "answer y, or pass -f/--force to skip the question")
        }
    }

    /// `pipe gc` of `.cache`, keeping `locks` (else the workspace's and experiments' locks and those the flags add).
    private func collectLocal(keeping locks: [KeptLock]?) throws {
        let start = repo.start
        let workspace = try Workspace.find(from: start)
        let repoLock = try RepoLock(cacheRoot: workspace.cacheRoot)
        defer { _ = repoLock }
        let collector = GarbageCollector(workspace: workspace)
        let kept = try locks ?? collector.keptLocks(allCommits: allCommits, allBranches: allBranches, allTags: allTags)
        let report = try collector.collect(keeping: kept,
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
