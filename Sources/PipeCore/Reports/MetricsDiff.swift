/// `pipe metrics diff`: every metric of two sides, by file and dotted key, with the numeric change.
public struct MetricsDiff: Sendable, Equatable {
    /// One metric on both sides; nil where it does not exist.
    public struct Row: Sendable, Equatable {
        /// Repo-relative path of the metrics file.
        public var path: String
        /// Dotted metric name (`loss.val`).
        public var key: String
        /// Value on the old side.
        public var old: ParamValue?
        /// Value on the new side.
        public var new: ParamValue?

        /// `new - old` when both are numbers.
        public var change: Double? {
            guard let a = FlatValues.number(old), let b = FlatValues.number(new) else { return nil }
            return b - a
        }

        /// Whether the sides differ (appeared, vanished or changed).
        public var changed: Bool { old != new }
    }

    /// Name of the old side (a revision).
    public var oldName: String
    /// Name of the new side (a revision or `workspace`).
    public var newName: String
    /// Rows by file (in the order files first appear on either side) then key (file order, old side first).
    public var rows: [Row]
    /// Files missing on the old side.
    public var missingOld: [String]
    /// Files missing on the new side.
    public var missingNew: [String]

    /// Compares two sides' metrics files.
    public init(old: MetricsSnapshot, new: MetricsSnapshot) {
        oldName = old.name
        newName = new.name
        missingOld = old.missing
        missingNew = new.missing
        var paths: [String] = []
        for file in old.files + new.files where !paths.contains(file.path) { paths.append(file.path) }
        rows = []
        for path in paths {
            let a = old.files.first { $0.path == path }?.flattened ?? []
            let b = new.files.first { $0.path == path }?.flattened ?? []
            var keys: [String] = []
            var seen = Set<String>()
            for (key, _) in a + b where seen.insert(key).inserted { keys.append(key) }
            let oldValues = Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
            let newValues = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { x, _ in x })
            rows += keys.map { Row(path: path, key: $0, old: oldValues[$0], new: newValues[$0]) }
        }
    }

    /// The rows to show: only changed ones unless `all`.
    public func visibleRows(all: Bool) -> [Row] { all ? rows : rows.filter(\.changed) }

    /// Path, Metric, old side, new side, Change (`-` when not numeric on both sides).
    public func table(all: Bool, precision: Int = 5) -> ReportTable {
        ReportTable(header: ["Path", "Metric", oldName, newName, "Change"],
                    rows: visibleRows(all: all).map { row in
                        [row.path, row.key, FlatValues.cell(row.old, precision: precision),
                         FlatValues.cell(row.new, precision: precision),
                         row.change.map { FlatValues.formatNumber($0, precision: precision) } ?? "-"]
                    })
    }

    /// DVC's shape: `{"m.json": {"auc": {"old": 0.9, "new": 0.92, "diff": 0.02}}}`; diff only when numeric.
    public func json(all: Bool) -> String {
        FlatValues.jsonByFile(visibleRows(all: all).map { row in
            var cell: [(String, ParamValue)] = [("old", row.old ?? .null), ("new", row.new ?? .null)]
            if let change = row.change { cell.append(("diff", .double(change))) }
            return (row.path, row.key, .dict(cell))
        })
    }
}
