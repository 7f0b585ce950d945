/// The terminal layout of `pipe metrics show`, chosen to fit `width` columns.
extension MetricsTable {
    /// DVC's single table (a row per file, the union of keys as columns) when it fits `width`. Otherwise one
    /// section per file, headed by its path: the file's own keys as a two-line table when that fits, else the long
    /// format, a line per metric (`key  value`), lists shortened to fit. Empty when no file is present.
    public static func text(_ metrics: MetricsSnapshot, width: Int, precision: Int = 5) -> String {
        let combined = table(metrics, precision: precision, compactLists: true)
        if combined.rows.isEmpty { return "" }
        if combined.width() <= width { return combined.text() }
        let present = metrics.files.filter { $0.values != nil }
        return present.map { file in
            file.path + "\n" + section(file.flattened, width: width, precision: precision)
        }.joined(separator: "\n")
    }

    /// Indent of the lines under a file's heading.
    static let indent = "  "

    /// A file's metrics under its heading: keys across when they fit, else one `key  value` line each.
    static func section(_ leaves: [(key: String, value: ParamValue)], width: Int, precision: Int) -> String {
        let wide = ReportTable(header: leaves.map(\.key),
                               rows: [leaves.map { FlatValues.displayCell($0.value, precision: precision) }])
        if indent.count + wide.width() <= width { return wide.text(indent: indent) }
        let keyWidth = leaves.map(\.key.count).max() ?? 0
        let valueWidth = max(width - indent.count - keyWidth - 2, minimumValueWidth)
        let long = ReportTable(header: ["Metric", "Value"], rows: leaves.map {
            [$0.key, FlatValues.displayCell($0.value, precision: precision, maxWidth: valueWidth)]
        })
        return long.text(withHeader: false, indent: indent)
    }

    /// The narrowest a shortened list gets, however long the key beside it: enough to show its first element.
    static let minimumValueWidth = 16
}
