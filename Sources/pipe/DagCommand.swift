import ArgumentParser
import PipeCore

/// `pipe dag`: draw the stage graph (or the outputs graph) for a reviewer, stale stages marked.
struct DagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag", abstract: "Draw the pipeline graph (ASCII by default).")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Only this stage and its upstream.") var stage: String?
    @Flag(help: "Output format (default: ASCII boxes and edges).")
    var format: DagFormatFlag = .ascii
    @Flag(name: [.short, .long], help: "Draw outputs (files) instead of stages.") var outs = false
    @Flag(help: "With a stage: the whole pipeline it belongs to, not only its upstream.") var full = false
    @Flag(name: .customLong("no-status"), help: "Do not hash the workspace to mark stale stages.") var noStatus = false

    enum DagFormatFlag: String, EnumerableFlag {
        case ascii, dot, mermaid, md, json
        var format: DagOptions.Format { DagOptions.Format(rawValue: rawValue)! }
    }

    func run() throws {
        let project = try repo.project(validateDeps: false)
        var stale: Set<String> = []
        if !noStatus {
            stale = Set(try project.status(targets: (full ? nil : stage).map { [$0] } ?? []).filter { $0.state == .stale }.map(\.stage))
        }
        var options = DagOptions(format: format.format, outs: outs, target: stage, stale: stale)
        options.full = full
        print(try DagRenderer.render(project.graph, options: options), terminator: "")
    }
}
