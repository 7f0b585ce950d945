/// Renders statuses for people (text) and for programs (`--json`, documented in docs/cli.md).
public enum StatusReport {
    /// One block per stale stage with every reason indented below it, then a line for the rest.
    public static func text(_ statuses: [StageStatus]) -> String {
        var out = ""
        for s in statuses where s.state == .stale {
            out += "\(s.stage): stale\(s.isRestorable ? " (restorable from cache)" : "")\n"
            for r in s.reasons { out += "    \(r)\n" }
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
    public static func json(_ statuses: [StageStatus]) -> String {
        let stages: [ParamValue] = statuses.map { s in
            .dict([("name", .string(s.stage)), ("state", .string(s.state.rawValue)),
                   ("restorable", .bool(s.isRestorable)),
                   ("reasons", .list(s.reasons.map { .dict($0.jsonFields) }))])
        }
        let root: ParamValue = .dict([("schema", .int(1)),
                                      ("stale", .bool(statuses.contains { $0.state == .stale })),
                                      ("stages", .list(stages))])
        return root.jsonText
    }
}
