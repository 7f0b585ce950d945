/// "Why does this stage rerun?", followed to the end: each reason that points at another stage (an upstream
/// stage that is stale, or a dep that an upstream stage rewrote) is expanded into that stage's own reasons,
/// down to the edited file, param or command.
public struct CauseChain: Sendable {
    /// Reasons by stage (from `pipe status`, or the stages a repro ran).
    public let reasons: [String: [InvalidationReason]]
    public let graph: StageGraph

    public init(reasons: [String: [InvalidationReason]], graph: StageGraph) {
        self.reasons = reasons
        self.graph = graph
    }

    /// The stage a reason of `stage` comes from, if that stage has reasons of its own.
    public func causingStage(of reason: InvalidationReason, in stage: String) -> String? {
        let candidate: String?
        switch reason {
        case let .upstreamStale(s): candidate = s
        case let .depChanged(p), let .depMissing(p): candidate = graph.producer(ofPath: p)?.stage
        default: candidate = nil
        }
        guard let c = candidate, c != stage, reasons[c] != nil else { return nil }
        return c
    }

    /// Indented lines: each reason, and under it the chain of the stage it comes from (each stage expanded once).
    public func lines(for stage: String, indent: String = "    ") -> [String] {
        var seen: Set<String> = [stage]
        return expand(stage, indent: indent, seen: &seen)
    }

    private func expand(_ stage: String, indent: String, seen: inout Set<String>) -> [String] {
        var out: [String] = []
        for reason in reasons[stage] ?? [] {
            out.append(indent + reason.description)
            if let cause = causingStage(of: reason, in: stage) {
                if seen.insert(cause).inserted {
                    out.append(indent + "  └─ because \(cause):")
                    out += expand(cause, indent: indent + "     ", seen: &seen)
                }
            }
        }
        return out
    }

    /// The root causes of a stage: reasons that point at no other stage (edited files, params, commands).
    public func rootCauses(of stage: String) -> [InvalidationReason] {
        var seen: Set<String> = []
        var stack = [stage]
        var roots: [InvalidationReason] = []
        while let s = stack.popLast() {
            guard seen.insert(s).inserted else { continue }
            for r in reasons[s] ?? [] {
                if let c = causingStage(of: r, in: s) { stack.append(c) } else if !roots.contains(r) { roots.append(r) }
            }
        }
        return roots
    }
}
