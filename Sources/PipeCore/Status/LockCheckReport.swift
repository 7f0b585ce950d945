/// The result of `pipe lock --check` and how it prints.
public struct LockCheckResult: Sendable {
    public var verdicts: [LockFreshness.Verdict]
    /// Lock entries whose stage no longer exists in pipeline.yaml.
    public var orphanEntries: [String]
    public var isFresh: Bool { orphanEntries.isEmpty && verdicts.allSatisfy(\.isFresh) }

    public init(verdicts: [LockFreshness.Verdict], orphanEntries: [String]) {
        self.verdicts = verdicts
        self.orphanEntries = orphanEntries
    }
}

/// Renders a `LockCheckResult` for people and for programs.
public enum LockCheckReport {
    public static func text(_ r: LockCheckResult) -> String {
        var out = ""
        for v in r.verdicts where !v.isFresh {
            out += "\(v.stage): stale\n"
            for reason in v.reasons { out += "    \(reason)\n" }
        }
        for o in r.orphanEntries { out += "\(o): stale\n    lock entry of a stage no longer in the pipeline\n" }
        let unverified = r.verdicts.flatMap(\.unverified)
        if r.isFresh {
            out += "pipe.lock is fresh (\(r.verdicts.count) stages"
            out += unverified.isEmpty ? ")\n" : "; \(unverified.count) paths unverified: not in this checkout)\n"
        } else {
            out += "pipe.lock is stale: run `pipe repro` (or `pipe commit`) and commit pipe.lock\n"
        }
        return out
    }

    /// `{"schema":1,"fresh":bool,"stages":[{"name","fresh","reasons":[…],"unverified":[…]}],"orphans":[…]}`.
    public static func json(_ r: LockCheckResult) -> String {
        let stages: [ParamValue] = r.verdicts.map { v in
            .dict([("name", .string(v.stage)), ("fresh", .bool(v.isFresh)),
                   ("reasons", .list(v.reasons.map { .dict($0.jsonFields) })),
                   ("unverified", .list(v.unverified.map { .string($0) }))])
        }
        return ParamValue.dict([("schema", .int(1)), ("fresh", .bool(r.isFresh)), ("stages", .list(stages)),
                                ("orphans", .list(r.orphanEntries.map { .string($0) }))]).jsonText
    }
}
