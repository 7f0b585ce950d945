/// `pipe lock --check`: does pipe.lock match what this checkout holds, without needing the data?
///
/// Checks each stage's command, declared params, every dependency present in the checkout (code, params files,
/// small files), and that a dependency produced by another stage matches that stage's locked output. Paths the
/// checkout does not hold are reported as unverified, never as stale.
public struct LockFreshness: Sendable {
    /// The verdict on one stage.
    public struct Verdict: Sendable, Equatable {
        public var stage: String
        public var reasons: [InvalidationReason]
        /// Paths that could not be checked because the checkout does not hold them.
        public var unverified: [String]
        public var isFresh: Bool { reasons.isEmpty }
    }

    public let pipeline: Pipeline
    public let graph: StageGraph
    public let invalidation: StageInvalidation

    public init(pipeline: Pipeline, graph: StageGraph, invalidation: StageInvalidation) {
        self.pipeline = pipeline
        self.graph = graph
        self.invalidation = invalidation
    }

    /// Verdicts for every stage in topological order, plus lock entries whose stage is gone (as `depRemoved`-free
    /// verdicts named after the stale entry, with reason `outRemoved` of each out).
    public func check(_ lock: LockFile) throws -> (verdicts: [Verdict], orphanEntries: [String]) {
        var verdicts: [Verdict] = []
        for name in graph.order {
            let stage = pipeline.stage(named: name)!
            if stage.frozen, lock.stages[name] != nil {
                verdicts.append(Verdict(stage: name, reasons: [], unverified: []))
                continue
            }
            guard let entry = lock.stages[name] else {
                verdicts.append(Verdict(stage: name, reasons: [.neverRun], unverified: []))
                continue
            }
            var reasons: [InvalidationReason] = []
            var unverified: [String] = []
            let cmd = invalidation.commandText(of: stage)
            if cmd != entry.cmd { reasons.append(.commandChanged(old: entry.cmd, new: cmd)) }
            let deps = invalidation.depPaths(of: stage)
            for path in deps {
                guard let locked = entry.dep(path) else { reasons.append(.depAdded(path: path)); continue }
                if let producer = producingOutput(of: path, excluding: name) {
                    if let producerEntry = lock.stages[producer.stage], let out = producerEntry.out(producer.path) {
                        if producer.path == path {
                            if out.hash != locked.hash { reasons.append(.depChanged(path: path)) }
                            continue
                        }
                    } else {
                        reasons.append(.upstreamStale(stage: producer.stage))
                        continue
                    }
                }
                if let now = try invalidation.hashing.snapshot(of: path) {
                    if now.hash != locked.hash { reasons.append(.depChanged(path: path)) }
                } else {
                    unverified.append(path)
                }
            }
            for path in Set(entry.deps.map(\.path)).subtracting(deps).sorted() { reasons.append(.depRemoved(path: path)) }
            reasons += invalidation.paramReasons(now: invalidation.paramsEntry(of: stage), locked: entry.params)
            let outs = stage.outs.map(\.path).sorted()
            for path in outs {
                guard let locked = entry.out(path) else { reasons.append(.outAdded(path: path)); continue }
                if let now = try invalidation.hashing.snapshot(of: path) {
                    if now.hash != locked.hash { reasons.append(.outModified(path: path)) }
                } else {
                    unverified.append(path)
                }
            }
            for path in Set(entry.outs.map(\.path)).subtracting(outs).sorted() { reasons.append(.outRemoved(path: path)) }
            verdicts.append(Verdict(stage: name, reasons: reasons, unverified: unverified.sorted()))
        }
        let names = Set(pipeline.stages.map(\.name))
        let orphans = lock.stages.keys.filter { !names.contains($0) }.sorted()
        return (verdicts, orphans)
    }

    /// The stage and output path producing `path` (the output itself or a directory containing it).
    func producingOutput(of path: String, excluding stage: String) -> (stage: String, path: String)? {
        for s in pipeline.stages where s.name != stage {
            for o in s.outs where o.path == path || path.hasPrefix(o.path + "/") {
                return (s.name, o.path)
            }
        }
        return nil
    }
}
