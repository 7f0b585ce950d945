/// `pipe exp show`: the workspace and every experiment side by side, one row each, with the params that differ
/// between rows (all params when there is only one row) and every metric as columns.
public struct ExperimentTable: Sendable {
    /// One row of the table.
    public struct Row: Sendable {
        /// `workspace` or the experiment's name.
        public var name: String
        /// The experiment id; nil for the workspace.
        public var id: String?
        /// ISO 8601 creation time; nil for the workspace.
        public var created: String?
        /// The git commit the experiment started from; nil for the workspace or outside git.
        public var baseCommit: String?
        /// Every param, flattened (`train.lr`, `other.yaml:key`), in file order.
        public var params: [(String, ParamValue)]
        /// Every metric, flattened.
        public var metrics: [(String, ParamValue)]

        func param(_ column: String) -> ParamValue? { params.first { $0.0 == column }?.1 }
        func metric(_ column: String) -> ParamValue? { metrics.first { $0.0 == column }?.1 }
    }

    /// The workspace first, then experiments by creation time and name.
    public var rows: [Row]
    /// Param columns shown: those whose values differ between rows, in first-seen order.
    public var paramColumns: [String]
    /// Metric columns, in first-seen order.
    public var metricColumns: [String]

    /// Builds the table from the workspace's params and metrics and the recorded experiments.
    public init(workspaceParams: [String: ParamValue], workspaceMetrics: [String: [(String, ParamValue)]],
                experiments: [ExperimentRecord]) {
        var rows = [Row(name: "workspace", id: nil, created: nil, baseCommit: nil,
                        params: ExperimentRecord.flatten(params: workspaceParams),
                        metrics: ExperimentRecord.flatten(metrics: workspaceMetrics))]
        for e in experiments {
            rows.append(Row(name: e.name, id: e.id, created: e.created, baseCommit: e.baseCommit,
                            params: e.flatParams, metrics: ExperimentRecord.flatten(metrics: e.metrics)))
        }
        self.rows = rows
        func columns(_ pick: (Row) -> [(String, ParamValue)]) -> [String] {
            var seen = Set<String>()
            var order: [String] = []
            for row in rows { for (k, _) in pick(row) where seen.insert(k).inserted { order.append(k) } }
            return order
        }
        let allParams = columns(\.params)
        paramColumns = rows.count == 1 ? allParams : allParams.filter { column in
            let values = rows.map { $0.param(column) }
            return values.contains { !Self.same($0, values[0]) }
        }
        metricColumns = columns(\.metrics)
    }

    static func same(_ a: ParamValue?, _ b: ParamValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x?, y?): x == y && ParamsEditor.sameKinds(x, y)
        default: false
        }
    }

    private var header: [String] { ["Experiment", "Created"] + paramColumns + metricColumns }

    private func cells(_ row: Row) -> [String] {
        [row.name, row.created ?? "-"] + paramColumns.map { row.param($0)?.description ?? "-" }
            + metricColumns.map { row.metric($0)?.description ?? "-" }
    }

    /// Columns aligned with two spaces between them; numbers right-aligned.
    public func plainText() -> String {
        let body = rows.map(cells)
        let table = [header] + body
        let widths = header.indices.map { i in table.map { $0[i].count }.max() ?? 0 }
        let numeric = header.indices.map { i in i >= 2 && body.allSatisfy { Self.isNumeric($0[i]) } }
        return table.map { line in
            line.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - line[i].count)
                return numeric[i] && line != header ? pad + line[i] : line[i] + pad
            }.joined(separator: "  ").replacingOccurrences(of: " +$", with: "", options: .regularExpression)
        }.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table.
    public func markdown() -> String {
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + header.map(escape).joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { $0 >= 2 ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { out += "| " + cells(row).map(escape).joined(separator: " | ") + " |\n" }
        return out
    }

    /// One stable JSON object: `{"schema":1,"columns":{"params":[…],"metrics":[…]},"rows":[{"name","id",
    /// "created","baseCommit","workspace","params":{…},"metrics":{…}}]}`; rows carry every param, not only the
    /// shown columns.
    public func json() -> String {
        func text(_ s: String?) -> ParamValue { s.map { .string($0) } ?? .null }
        let rowValues: [ParamValue] = rows.map { row in
            .dict([("name", .string(row.name)), ("id", text(row.id)), ("created", text(row.created)),
                   ("baseCommit", text(row.baseCommit)), ("workspace", .bool(row.id == nil)),
                   ("params", .dict(row.params)), ("metrics", .dict(row.metrics))])
        }
        let columns = ParamValue.dict([("params", .list(paramColumns.map { .string($0) })),
                                       ("metrics", .list(metricColumns.map { .string($0) }))])
        return ParamValue.dict([("schema", .int(1)), ("columns", columns), ("rows", .list(rowValues))]).jsonText + "\n"
    }

    static func isNumeric(_ s: String) -> Bool { s == "-" || Double(s) != nil }
}
