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
    /// Metric columns shown, in first-seen order (all of them unless a selection narrowed them).
    public var metricColumns: [String]
    /// Every param column any row has, in first-seen order: what a column selection chooses from.
    public private(set) var allParamColumns: [String]
    /// Every metric column any row has, in first-seen order.
    public private(set) var allMetricColumns: [String]
    /// Whether the `Created` column is shown (`--drop Created` hides it).
    public var showsCreated = true

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
        allParamColumns = columns(\.params)
        allMetricColumns = columns(\.metrics)
        paramColumns = allParamColumns
        metricColumns = allMetricColumns
        if rows.count > 1 { paramColumns = allParamColumns.filter { varies($0) } }
    }

    /// Whether the rows disagree on param (or, with `metric`, metric) `column`: a value differs, or a row lacks it.
    public func varies(_ column: String, metric: Bool = false) -> Bool {
        let values = rows.map { metric ? $0.metric(column) : $0.param(column) }
        return values.contains { !Self.same($0, values[0]) }
    }

    static func same(_ a: ParamValue?, _ b: ParamValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (x?, y?): x == y && ParamsEditor.sameKinds(x, y)
        default: false
        }
    }

    private var header: [String] { ["Experiment"] + (showsCreated ? ["Created"] : []) + paramColumns + metricColumns }

    private func cells(_ row: Row, _ render: (ParamValue?) -> String) -> [String] {
        [row.name] + (showsCreated ? [row.created ?? "-"] : []) + paramColumns.map { render(row.param($0)) }
            + metricColumns.map { render(row.metric($0)) }
    }

    /// Columns aligned with two spaces between them; numbers right-aligned.
    public func plainText() -> String { wideTable().text() }

    /// `plainText()` when it fits `width` columns; otherwise the table turned on its side, as `pipe metrics show`
    /// does for a wide file: a line per column (`Created`, each param, each metric) and a column per row, lists
    /// shortened so a line fits where they can.
    public func plainText(width: Int) -> String {
        let wide = wideTable()
        if wide.width() <= width { return wide.text() }
        let names = (showsCreated ? ["Created"] : []) + paramColumns + metricColumns
        let nameWidth = ([header[0]] + names).map(\.count).max() ?? 0
        let room = (width - nameWidth - 2) / max(rows.count, 1) - 2
        let valueWidth = max(room, MetricsTable.minimumValueWidth)
        var lines: [[String]] = []
        if showsCreated { lines.append(["Created"] + rows.map { $0.created ?? "-" }) }
        for column in paramColumns { lines.append([column] + rows.map { Self.display($0.param(column), maxWidth: valueWidth) }) }
        for column in metricColumns { lines.append([column] + rows.map { Self.display($0.metric(column), maxWidth: valueWidth) }) }
        return ReportTable(header: [header[0]] + rows.map(\.name), rows: lines).text()
    }

    /// One row per experiment, the shown columns across; numeric columns right-aligned; lists compact.
    private func wideTable() -> ReportTable {
        let fixed = showsCreated ? 2 : 1
        let body = rows.map { cells($0) { Self.display($0) } }
        let numeric = Set(header.indices.filter { i in i >= fixed && body.allSatisfy { Self.isNumeric($0[i]) } })
        return ReportTable(header: header, rows: body, rightAligned: numeric)
    }

    /// A cell for the terminal: scalars as the JSON shows them, lists and mappings on one line (`[8 16]`).
    static func display(_ value: ParamValue?, maxWidth: Int? = nil) -> String {
        switch value {
        case nil: "-"
        case .list?, .dict?: FlatValues.displayCell(value, precision: 5, maxWidth: maxWidth)
        case let scalar?: scalar.description
        }
    }

    /// A GitHub-flavoured Markdown table.
    public func markdown() -> String {
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var out = "| " + header.map(escape).joined(separator: " | ") + " |\n"
        let fixed = showsCreated ? 2 : 1
        out += "|" + header.indices.map { $0 >= fixed ? "---:|" : "---|" }.joined() + "\n"
        for row in rows { out += "| " + cells(row) { $0?.description ?? "-" }.map(escape).joined(separator: " | ") + " |\n" }
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
