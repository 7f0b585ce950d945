import PipeBasics

/// Which executor runs each stage of a pipeline, decided once per command: a stage's own `executor:`, else the
/// one asked for (`pipe repro --executor`), else the config's `executor:`, else local.
///
/// It also checks that every stage Slurm will run declares only resources Slurm understands, and says what each
/// stage occupies in the local scheduler: a local stage its `cores` and named resources, a Slurm stage one slot of
/// `slurmSlot` (the cluster schedules its CPUs and memory).
public struct ExecutorPlan: Sendable, Equatable {
    /// The scheduler resource a Slurm stage holds while its job is in flight (`-j` bounds it).
    public static let slurmSlot = "executor:slurm"

    /// Each stage's executor.
    public private(set) var kinds: [String: ExecutorKind]

    /// The plan for `pipeline` with `requested` (the CLI's choice) over `configured` (the config default).
    ///
    /// - Throws: `.unknownKey` naming the stage, key, file and line when a Slurm stage declares a resource Slurm
    ///   has no flag for.
    public init(pipeline: Pipeline, requested: ExecutorKind? = nil, configured: ExecutorKind? = nil) throws(PipeError) {
        var kinds: [String: ExecutorKind] = [:]
        for stage in pipeline.stages {
            let kind = stage.executor ?? requested ?? configured ?? .local
            if kind == .slurm { try Self.checkSlurmResources(of: stage) }
            kinds[stage.name] = kind
        }
        self.kinds = kinds
    }

    /// Every stage local (no checks).
    public init() { kinds = [:] }

    /// The executor of stage `name` (local when unknown).
    public func kind(of name: String) -> ExecutorKind { kinds[name] ?? .local }

    /// Whether some stage runs on Slurm.
    public var usesSlurm: Bool { kinds.values.contains(.slurm) }

    /// What `stage` occupies in the local scheduler. `capacities` are the `--resource` capacities: a batch-only
    /// key (`mem_mb`, `runtime`) counts locally only when one is given for it.
    public func schedulerNeeds(of stage: Stage, capacities: [String: Int]) -> [String: Int] {
        if kind(of: stage.name) == .slurm { return ["cores": 0, Self.slurmSlot: 1] }
        return stage.resources.filter { !StageResourceKeys.batchOnly.contains($0.key) || capacities[$0.key] != nil }
    }

    static func checkSlurmResources(of stage: Stage) throws(PipeError) {
        let known = StageResourceKeys.slurm
        for key in (Array(stage.resources.keys) + Array(stage.resourceSettings.keys)).sorted() where !known.contains(key) {
            var fix = "Slurm resources are: " + known.joined(separator: ", ")
                + "; a named resource (like heavy: 1) bounds local stages only: give this stage `executor: local` or drop it"
            if let guess = DidYouMean.closest(to: key, in: known) { fix = "did you mean '\(guess)'? " + fix }
            throw PipeError(.unknownKey, "stage '\(stage.name)' runs on Slurm, which has no resource '\(key)'", fix: fix,
                            location: stage.resourceLocations[key] ?? stage.location,
                            keyPath: "stages.\(stage.name).resources.\(key)")
        }
    }
}
