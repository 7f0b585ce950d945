/// Renders statuses for people (text) and for programs (`--json`, documented in docs/cli.md).
public enum StatusReport {
    /// One block per stale stage with every reason indented below it, then a line for the rest.
    /// With `explain` (and the graph), each reason pointing at an upstream stage is expanded into that stage's
    /// own reasons, down to the edited file or param.
    /// When some stage runs on Slurm (`executors`), each stale stage names its executor.
    public static func text(_ statuses: [StageStatus], explainWith graph: StageGraph? = nil,
                            executors: ExecutorPlan = ExecutorPlan()) -> String {
        var out = ""
        let chain = graph.map { causeChain(statuses, graph: $0) }
        for s in statuses where s.state == .stale {
            let place = executors.usesSlurm ? ", runs on \(executors.kind(of: s.stage))" : ""
            out += "\(s.stage): stale\(s.isRestorable ? " (restorable from cache)" : "")\(place)\n"
            if let chain {
                for line in chain.lines(for: s.stage) { out += line + "\n" }
            } else {
                for r in s.reasons { out += "    \(r)\n" }
            }
        }
        let current = statuses.filter { $0.state == .upToDate }.map(\.stage)
        let frozen = statuses.filter { $0.state == .frozen }.map(\.stage)
        if !frozen.isEmpty { out += "frozen: \(frozen.joined(separator: ", "))\n" }
        if statuses.allSatisfy({ $0.state != .stale }) {
            out += "Pipeline is up to date.\n"
        } else if !current.isEmpty {
            out += "up to date: \(current.joined(separator: ", "))\n"
        }
        return out
    }

    /// `{"schema":1,"stale":bool,"stages":[{"name","state","restorable","reasons":[{kind,message,…}]}]}`.
    /// With a graph, each stale stage also carries `root_causes`: the edited inputs its chain ends at.
    /// When some stage runs on Slurm, each stage also carries `executor`.
    public static func json(_ statuses: [StageStatus], explainWith graph: StageGraph? = nil,
                            executors: ExecutorPlan = ExecutorPlan()) -> String {
        let chain = graph.map { causeChain(statuses, graph: $0) }
        let stages: [ParamValue] = statuses.map { s in
            var fields: [(String, ParamValue)] = [("name", .string(s.stage)), ("state", .string(s.state.rawValue)),
                   ("restorable", .bool(s.isRestorable)),
                   ("reasons", .list(s.reasons.map { .dict($0.jsonFields) }))]
            if executors.usesSlurm { fields.append(("executor", .string(executors.kind(of: s.stage).rawValue))) }
            if let chain, s.state == .stale {
                fields.append(("root_causes", .list(chain.rootCauses(of: s.stage).map { .dict($0.jsonFields) })))
            }
            return .dict(fields)
        }
        let root: ParamValue = .dict([("schema", .int(1)),
                                      ("stale", .bool(statuses.contains { $0.state == .stale })),
                                      ("stages", .list(stages))])
        return root.jsonText
    }

    /// The cause chain over the reasons of the stale stages among `statuses`.
    private static func causeChain(_ statuses: [StageStatus], graph: StageGraph) -> CauseChain {
        let stale = statuses.filter { $0.state == .stale }.map { ($0.stage, $0.reasons) }
        return CauseChain(reasons: Dictionary(uniqueKeysWithValues: stale), graph: graph)
    }
}
