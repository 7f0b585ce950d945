import ArgumentParser
import PipeCore

/// `pipe commit`: record the current deps, params and outputs of stages in pipe.lock without running them.
struct CommitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commit", abstract: "Record current outputs in pipe.lock and .cache without running stages.")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages to commit; all when omitted.") var stages: [String] = []
    @Flag(name: [.short, .long], help: "Commit stages whose cmd, deps, params or outputs changed since pipe.lock.")
    var force = false

    func run() throws {
        let project = try repo.project()
        let lock = try project.acquireLock()
        defer { _ = lock }
        for name in try project.commit(targets: stages, force: force) { print("committed '\(name)'") }
    }
}
