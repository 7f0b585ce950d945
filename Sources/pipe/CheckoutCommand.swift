import ArgumentParser
import PipeCore

/// `pipe checkout`: restore the locked outputs of stages from the cache.
struct CheckoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout", abstract: "Restore stage outputs recorded in pipe.lock from .cache.")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages whose outputs to restore; all when omitted.") var stages: [String] = []
    @Flag(name: [.short, .long], help: "Also overwrite outputs modified since pipe.lock whose content is not in the cache.")
    var force = false

    func run() throws {
        let project = try repo.project(validateDeps: false)
        let lock = try project.acquireLock()
        defer { _ = lock }
        let result = try project.checkout(targets: stages, force: force)
        for path in result.restored { print("restored \(path)") }
        for path in result.unavailable { Terminal.printErr("cannot restore \(path): not in the cache (run `pipe repro`)") }
        if result.restored.isEmpty && result.unavailable.isEmpty { print("Everything is already checked out.") }
        if !result.unavailable.isEmpty { throw ExitCode(1) }
    }
}
