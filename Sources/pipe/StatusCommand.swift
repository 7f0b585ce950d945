import ArgumentParser
import PipeCore

/// `pipe status`: which stages are stale, each with every reason.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show stale stages and why they would rerun.")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages to check (with their upstream); all when omitted.") var stages: [String] = []
    @Flag(help: "Print stable JSON (documented in docs/cli.md).") var json = false
    @Flag(help: "Exit 1 when anything is stale.") var check = false
    @Flag(help: "Follow each reason back through upstream stages to the edited file or param.") var explain = false

    func run() throws {
        let project = try repo.project()
        let statuses = try project.status(targets: stages)
        let graph = explain ? project.graph : nil
        print(json ? StatusReport.json(statuses, explainWith: graph) : StatusReport.text(statuses, explainWith: graph),
              terminator: json ? "\n" : "")
        if check && statuses.contains(where: { $0.state == .stale }) { throw ExitCode(1) }
    }
}
