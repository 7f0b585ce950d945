/// Compares one stage's declaration and workspace against its lock entry and lists every difference.
///
/// Pure with respect to the lock: it reads the workspace only through `PathHashing`, so it is testable in memory.
public struct StageInvalidation: Sendable {
    public let pipeline: Pipeline
    public let hashing: any PathHashing
    /// Implicit code dependencies (source directories of a plugin and the libraries it links), by stage name.
    public let codeDeps: [String: [String]]

    public init(pipeline: Pipeline, hashing: any PathHashing, codeDeps: [String: [String]] = [:]) {
        self.pipeline = pipeline
        self.hashing = hashing
        self.codeDeps = codeDeps
    }

    /// Declared deps plus implicit code deps, sorted and unique: what the lock records as `deps`.
    public func depPaths(of stage: Stage) -> [String] {
        Array(Set(stage.deps.map(\.path) + (codeDeps[stage.name] ?? []))).sorted()
    }

    /// The cmd text recorded in the lock.
    public func commandText(of stage: Stage) -> String { stage.command.lockText }

    /// Current params values for the lock: by file, dotted keys sorted.
    public func paramsEntry(of stage: Stage) -> [String: [LockedParam]] {
        pipeline.paramValues(for: stage).mapValues { $0.map { LockedParam(key: $0.0, value: $0.1) } }
    }

    /// The reasons `stage` is stale against `entry` (nil: never run), own inputs and outputs only.
    /// Cost: one snapshot per dep and out (memoised by the hasher), O(params) comparisons.
    public func reasons(for stage: Stage, entry: LockedStage?) throws -> [InvalidationReason] {
        guard let entry else { return [.neverRun] + (stage.changesEveryRun ? [.alwaysChanged] : []) }
        var reasons: [InvalidationReason] = []
        let cmd = commandText(of: stage)
        if cmd != entry.cmd { reasons.append(.commandChanged(old: entry.cmd, new: cmd)) }

        let deps = depPaths(of: stage)
        let lockedDeps = Set(entry.deps.map(\.path))
        for path in deps {
            guard let locked = entry.dep(path) else { reasons.append(.depAdded(path: path)); continue }
            guard let now = try hashing.snapshot(of: path) else { reasons.append(.depMissing(path: path)); continue }
            if now.hash != locked.hash { reasons.append(.depChanged(path: path)) }
        }
        for path in lockedDeps.subtracting(deps).sorted() { reasons.append(.depRemoved(path: path)) }

        reasons += paramReasons(now: paramsEntry(of: stage), locked: entry.params)

        let outs = stage.outs.map(\.path).sorted()
        for path in outs {
            guard let locked = entry.out(path) else { reasons.append(.outAdded(path: path)); continue }
            guard let now = try hashing.snapshot(of: path) else { reasons.append(.outMissing(path: path)); continue }
            if now.hash != locked.hash { reasons.append(.outModified(path: path)) }
        }
        for path in Set(entry.outs.map(\.path)).subtracting(outs).sorted() { reasons.append(.outRemoved(path: path)) }
        if stage.changesEveryRun { reasons.append(.alwaysChanged) }
        return reasons
    }

    func paramReasons(now: [String: [LockedParam]], locked: [String: [LockedParam]]) -> [InvalidationReason] {
        var reasons: [InvalidationReason] = []
        for file in Set(now.keys).union(locked.keys).sorted() {
            let current = Dictionary((now[file] ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            let before = Dictionary((locked[file] ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            for key in Set(current.keys).union(before.keys).sorted() {
                switch (before[key], current[key]) {
                case let (old?, new?) where old != new:
                    reasons += Self.leafChanges(file: file, key: key, old: old, new: new)
                case let (nil, new?): reasons.append(.paramAdded(file: file, key: key, value: new))
                case let (old?, nil): reasons.append(.paramRemoved(file: file, key: key, old: old))
                default: break
                }
            }
        }
        return reasons
    }

    /// For a whole section that changed, names the leaf keys that differ (`sft.lr`, not just `sft`).
    static func leafChanges(file: String, key: String, old: ParamValue, new: ParamValue) -> [InvalidationReason] {
        guard case let .dict(o) = old, case let .dict(n) = new else {
            return [.paramChanged(file: file, key: key, old: old, new: new)]
        }
        let od = Dictionary(o, uniquingKeysWith: { a, _ in a })
        let nd = Dictionary(n, uniquingKeysWith: { a, _ in a })
        var out: [InvalidationReason] = []
        for k in Set(od.keys).union(nd.keys).sorted() {
            let sub = "\(key).\(k)"
            switch (od[k], nd[k]) {
            case let (a?, b?) where a != b: out += leafChanges(file: file, key: sub, old: a, new: b)
            case let (nil, b?): out.append(.paramAdded(file: file, key: sub, value: b))
            case let (a?, nil): out.append(.paramRemoved(file: file, key: sub, old: a))
            default: break
            }
        }
        return out
    }
}
