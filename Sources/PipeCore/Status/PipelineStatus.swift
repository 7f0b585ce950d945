import PipeBasics
/// The status of every (or selected) stage, with upstream staleness propagated down the graph.
public struct PipelineStatus: Sendable {
    public let pipeline: Pipeline
    public let graph: StageGraph
    public let lock: LockFile
    public let invalidation: StageInvalidation

    public init(pipeline: Pipeline, graph: StageGraph, lock: LockFile, invalidation: StageInvalidation) {
        self.pipeline = pipeline
        self.graph = graph
        self.lock = lock
        self.invalidation = invalidation
    }

    /// Statuses in topological order for `targets` and their upstream (all stages when empty); targets resolve
    /// as in `repro` (`StageGraph.stageNames(targeting:glob:)`: stages, groups, `pipeline.yaml:name`, globs),
    /// and the upstream walk stops at frozen stages as `repro`'s does.
    /// Cost: O(V + E) plus one snapshot per distinct path.
    public func evaluate(targets: [String] = [], glob: Bool = false) throws -> [StageStatus] {
        let selected: [String]
        if targets.isEmpty {
            selected = graph.order
        } else {
            var wanted = Set<String>()
            for t in try graph.stageNames(targeting: targets, glob: glob) {
                wanted.insert(t)
                wanted.formUnion(graph.activeUpstream(of: t))
            }
            selected = graph.order.filter { wanted.contains($0) }
        }
        var stale: Set<String> = []
        var results: [StageStatus] = []
        for name in selected {
            let stage = pipeline.stage(named: name)!
            if stage.frozen {
                results.append(StageStatus(stage: name, state: .frozen, reasons: []))
                continue
            }
            var reasons = try invalidation.reasons(for: stage, entry: lock.stages[name])
            for parent in graph.parents(of: name) where stale.contains(parent) {
                reasons.append(.upstreamStale(stage: parent))
            }
            if !reasons.isEmpty { stale.insert(name) }
            results.append(StageStatus(stage: name, state: reasons.isEmpty ? .upToDate : .stale, reasons: reasons))
        }
        return results
    }

    static func unknownStage(_ name: String, in pipeline: Pipeline) -> PipeError {
        let names = pipeline.stages.map(\.name)
        let hint = DidYouMean.closest(to: name, in: names).map { "did you mean '\($0)'?" }
        return PipeError(.unknownStage, "no stage named '\(name)' in \(pipeline.file)",
                         fix: hint ?? "run `pipe dag` to list the stages")
    }
}
