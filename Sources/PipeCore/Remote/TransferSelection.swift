/// The cached outputs a push, fetch or `status --cloud` is about, each with the remote it belongs to.
public struct TransferSelection: Sendable {
    /// One output as a lock names it.
    public struct Item: Sendable, Equatable {
        /// The stage that writes it.
        public var stage: String
        /// Its path and hash as locked.
        public var out: LockedPath
        /// The remote it goes to (`remote:` on the out, else the one chosen for the command).
        public var remote: String
        /// Whether `pipe push` sends it (`push: false` does not).
        public var push: Bool
        /// The lock it came from (`workspace`, `commit 1a2b3c4`, …).
        public var source: String

        /// Its object: a file, or a directory manifest.
        public var id: ObjectStore.ObjectID { ObjectStore.ObjectID(hash: out.hash, isDirectory: out.isDirectory) }
    }

    /// Every selected output, in lock order (stages as the pipeline orders them), each (remote, object) once.
    public var items: [Item]

    /// The cached outs of `targets` (all stages when empty) in `locks`, assigned to `defaultRemote` unless an
    /// out names its own remote.
    ///
    /// Outs of the current pipeline count when they are cached (`cache: true`); stages a lock from history holds
    /// that the pipeline no longer has count whole (there is nothing else to go by).
    ///
    /// A target is a stage as `repro` addresses it, or (as `dvc pull data/file` takes one) the path of a cached
    /// out, or a path inside a directory out (which selects that whole out).
    ///
    /// - Throws: `.unknownStage` for a target that is neither a stage nor an out of the pipeline.
    public static func select(pipeline: Pipeline, graph: StageGraph, locks: [KeptLock], targets: [String],
                              defaultRemote: String) throws -> TransferSelection {
        let resolved = try resolve(targets, pipeline: pipeline, graph: graph)
        let targets = resolved.stages
        var seen = Set<String>()
        var items: [Item] = []
        for kept in locks {
            var names = targets.isEmpty ? graph.order.filter { kept.lock.stages[$0] != nil } : targets
            if targets.isEmpty { names += kept.lock.stages.keys.filter { pipeline.stage(named: $0) == nil }.sorted() }
            for name in names {
                guard let entry = kept.lock.stages[name] else { continue }
                let stage = pipeline.stage(named: name)
                for locked in entry.outs {
                    var remote = defaultRemote
                    var push = true
                    if let stage {
                        guard let out = stage.outs.first(where: { $0.path == locked.path }), out.cache else { continue }
                        if let only = resolved.outs[name], !only.contains(out.path) { continue }
                        remote = out.remote ?? defaultRemote
                        push = out.push
                    }
                    let item = Item(stage: name, out: locked, remote: remote, push: push, source: kept.source)
                    if seen.insert(remote + " " + item.id.description).inserted { items.append(item) }
                }
            }
        }
        return TransferSelection(items: items)
    }

    /// Targets resolved: the stages named, and for a stage reached only through out paths, those outs.
    struct Targets {
        var stages: [String] = []
        /// Stage → the out paths its targets named; a stage named as a whole has no entry.
        var outs: [String: Set<String>] = [:]
    }

    /// Each target as a stage (`graph.stageNames(targeting:)`), else as an out's path or a path inside a
    /// directory out (`./` and a trailing `/` ignored). An out with `cache: false` (a metrics file, say) is a valid
    /// target that selects nothing, as `dvc push metrics.json` has nothing to push. O(T × outs).
    ///
    /// - Throws: the graph's `.unknownStage` (with its did-you-mean) for a target that is neither.
    static func resolve(_ targets: [String], pipeline: Pipeline, graph: StageGraph) throws -> Targets {
        var wholeStages = Set<String>()
        var outs: [String: Set<String>] = [:]
        for target in targets {
            do {
                wholeStages.formUnion(try graph.stageNames(targeting: [target]))
            } catch let error as PipeError where error.code == .unknownStage {
                var path = Substring(target)
                while path.hasPrefix("./") { path = path.dropFirst(2) }
                while path.count > 1 && path.hasSuffix("/") { path = path.dropLast() }
                let matches = pipeline.stages.flatMap { stage in
                    stage.outs.filter { path == $0.path || path.hasPrefix($0.path + "/") }
                        .map { (stage.name, $0.path) }
                }
                guard !matches.isEmpty else { throw error }
                for (stage, out) in matches { outs[stage, default: []].insert(out) }
            }
        }
        for stage in wholeStages { outs[stage] = nil }
        let named = wholeStages.union(outs.keys)
        return Targets(stages: graph.order.filter(named.contains), outs: outs)
    }

    /// The remotes the items go to, sorted.
    public var remoteNames: [String] { Array(Set(items.map(\.remote))).sorted() }
}
