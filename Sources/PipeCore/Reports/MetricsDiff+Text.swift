/// The terminal layout of `pipe metrics diff`, chosen to fit `width` columns.
extension MetricsDiff {
    /// The long table (`table(all:)`: path, metric, old, new, change) when it fits `width`; otherwise one section
    /// per file, headed by its path, with metric, old, new and change columns, lists shortened so a line fits.
    /// Empty when no row is visible.
    public func text(all: Bool, width: Int, precision: Int = 5) -> String {
        let visible = visibleRows(all: all)
        if visible.isEmpty { return "" }
        let long = ReportTable(header: ["Path"] + sectionHeader, rows: visible.map { [$0.path] + cells($0, precision: precision) })
        if long.width() <= width { return long.text() }
        var paths: [String] = []
        for row in visible where !paths.contains(row.path) { paths.append(row.path) }
        return paths.map { path in
            let rows = visible.filter { $0.path == path }
            var table = ReportTable(header: sectionHeader, rows: rows.map { cells($0, precision: precision) })
            let indent = MetricsTable.indent
            if indent.count + table.width() > width {
                let widths = table.columnWidths()
                let room = width - indent.count - widths[0] - widths[3] - 3 * 2
                let valueWidth = max(room / 2, MetricsTable.minimumValueWidth)
                table = ReportTable(header: sectionHeader, rows: rows.map { cells($0, precision: precision, maxWidth: valueWidth) })
            }
            return path + "\n" + table.text(indent: indent)
        }.joined(separator: "\n")
    }

    private var sectionHeader: [String] { ["Metric", oldName, newName, "Change"] }

    private func cells(_ row: Row, precision: Int, maxWidth: Int? = nil) -> [String] {
        [row.key, FlatValues.displayCell(row.old, precision: precision, maxWidth: maxWidth),
         FlatValues.displayCell(row.new, precision: precision, maxWidth: maxWidth),
         row.change.map { FlatValues.formatNumber($0, precision: precision) } ?? "-"]
    }
}
