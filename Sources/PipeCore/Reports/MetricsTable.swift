/// `pipe metrics show`: one row per metrics file, one column per flattened metric name.
public enum MetricsTable {
    /// Columns are the union of every file's dotted keys in first-seen order; a file lacking a key shows `-`.
    /// Missing files are left out of the table (the command reports them separately). `compactLists` shows lists
    /// as the terminal layout does (`[1 2]`); the Markdown table keeps `[1, 2]`.
    public static func table(_ metrics: MetricsSnapshot, precision: Int = 5, compactLists: Bool = false) -> ReportTable {
        var columns: [String] = []
        var seen = Set<String>()
        for file in metrics.files { for (key, _) in file.flattened where seen.insert(key).inserted { columns.append(key) } }
        let rows = metrics.files.filter { $0.values != nil }.map { file -> [String] in
            let values = Dictionary(file.flattened.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            return [file.path] + columns.map {
                compactLists ? FlatValues.displayCell(values[$0], precision: precision)
                    : FlatValues.cell(values[$0], precision: precision)
            }
        }
        return ReportTable(header: ["Path"] + columns, rows: rows)
    }

    /// `{"schema":1,"metrics":{"path":{…as in the file…}},"missing":["path"]}`.
    public static func json(_ metrics: MetricsSnapshot) -> String {
        let present = metrics.files.compactMap { file in file.values.map { (file.path, $0) } }
        let root = ParamValue.dict([("schema", .int(1)), ("metrics", .dict(present)),
                                    ("missing", .list(metrics.missing.map { .string($0) }))])
        return root.jsonText + "\n"
    }
}
