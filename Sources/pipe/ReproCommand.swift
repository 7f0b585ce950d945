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

    func validate() throws {
        if singleItem && stages.isEmpty { throw ValidationError("--single-item needs at least one stage") }
        if downstream && stages.isEmpty { throw ValidationError("--downstream needs at least one stage") }
        if singleItem && downstream { throw ValidationError("--single-item and --downstream cannot be combined") }
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
        let printer = ReproPrinter()
        let repoLock = dry ? nil : try project.acquireLock()
        let reproducer = try project.reproducer { printer.handle($0) }
        SignalForwarding.install()
        defer { _ = repoLock }
        let summary = try reproducer.run(options)
        printer.finish(summary, dry: dry)
    }
}
