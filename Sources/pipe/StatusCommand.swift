import ArgumentParser
import PipeCore

/// `pipe status`: which stages are stale, each with every reason.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show stale stages and why they would rerun.")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages to check (with their upstream): a stage, a foreach/matrix group, pipeline.yaml:NAME; all when omitted.")
    var stages: [String] = []
    @Flag(help: "The targets are patterns over stage names, e.g. 'train@*' (quote them).") var glob = false
    @Flag(help: "Print stable JSON (documented in docs/cli.md).") var json = false
    @Flag(help: "Exit 1 when anything is stale.") var check = false
    @Flag(name: .customLong("with-deps"),
          help: "List the targets' upstream stages too (DVC's flag; pipe always does, since repro acts on them).")
    var withDeps = false
    @Flag(help: "Follow each reason back through upstream stages to the edited file or param.") var explain = false
    @Flag(name: [.short, .customLong("cloud")], help: "Compare the cache with the remote: in sync, only local, only remote, missing.")
    var cloud = false
    @Option(name: [.customShort("r"), .customLong("remote")], help: "With --cloud: the remote (else the default).")
    var remote: String?
    @Option(name: [.customShort("j"), .customLong("jobs")], help: "With --cloud: lookups at once.") var jobs: Int?
    @Flag(name: [.customShort("a"), .customLong("all-branches")], help: "With --cloud: also every branch tip's lock.")
    var allBranches = false
    @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "With --cloud: also every tag's lock.")
    var allTags = false
    @Flag(help: "With --cloud: also every commit's lock (git rev-list --all).") var allCommits = false
    @Option(help: "Name each stale stage's executor as `pipe repro --executor` would choose it: local or slurm.")
    var executor: String?

    func validate() throws {
        if !cloud && remote == nil && (jobs != nil || allBranches || allTags || allCommits) {
            throw ValidationError("-j, -a, -T and --all-commits go with --cloud (or -r)")   // dvc: "meaningless for local status"
        }
    }

    func run() async throws {
        if cloud || remote != nil {   // as `dvc status -r NAME`, naming a remote asks about it
            if glob { throw ValidationError("--glob goes with the pipeline status, not --cloud") }
            let project = try repo.project(validateDeps: false)
            let status = try await RemoteStorages.with { factory in
                try await project.cloudStatus(.init(targets: stages, remote: remote, jobs: jobs, allCommits: allCommits,
                                                    allBranches: allBranches, allTags: allTags), factory: factory)
            }
            print(json ? status.json : status.text, terminator: json ? "\n" : "")
            if check && !status.isInSync { throw ExitCode(1) }
            return
        }
        // a missing dep is a reason (`dep x missing`), not an invalid pipeline, as in `dvc status`
        let project = try repo.project(validateDeps: false)
        let statuses = try project.status(targets: stages, glob: glob)
        let graph = explain ? project.graph : nil
        let plan = try project.executorPlan(requested: try executor.map { try ExecutorKind.parse($0, keyPath: "--executor") })
        print(json ? StatusReport.json(statuses, explainWith: graph, executors: plan)
                   : StatusReport.text(statuses, explainWith: graph, executors: plan),
              terminator: json ? "\n" : "")
        if check && statuses.contains(where: { $0.state == .stale }) { throw ExitCode(1) }
    }
}
