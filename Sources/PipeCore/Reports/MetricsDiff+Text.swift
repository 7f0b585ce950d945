/// The terminal layout of `pipe metrics diff`, chosen to fit `width` columns.
extension MetricsDiff {
    /// The long table (`table(all:)`: path, metric, old, new, change) when it fits `width`; otherwise one section
    /// per file, headed by its path, with metric, old, new and change columns. There a list too wide for its
    /// share of the line is compared element by element (`cm[1]`, only the elements that differ unless `all`),
    /// so the change stays visible; an element still too wide is shortened with `…`. Empty when no row is visible.
    public func text(all: Bool, width: Int, precision: Int = 5) -> String {
        let visible = visibleRows(all: all)
        if visible.isEmpty { return "" }
        let long = ReportTable(header: ["Path"] + sectionHeader, rows: visible.map { [$0.path] + cells($0, precision: precision) })
        if long.width() <= width { return long.text() }
        var paths: [String] = []
        for row in visible where !paths.contains(row.path) { paths.append(row.path) }
        let indent = MetricsTable.indent
        return paths.map { path in
            var rows = visible.filter { $0.path == path }
            var table = ReportTable(header: sectionHeader, rows: rows.map { cells($0, precision: precision) })
            if indent.count + table.width() > width {
                let widths = table.columnWidths()
                let valueWidth = max((width - indent.count - widths[0] - widths[3] - 3 * 2) / 2, MetricsTable.minimumValueWidth)
                rows = rows.flatMap { Self.elementwise($0, all: all, valueWidth: valueWidth, precision: precision) }
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

    /// `row` as it is, or, when a side is a list wider than `valueWidth`, a row per element (`key[i]`; absent
    /// past a side's end), only the differing ones unless `all`.
    static func elementwise(_ row: Row, all: Bool, valueWidth: Int, precision: Int) -> [Row] {
        func items(_ value: ParamValue?) -> [ParamValue]? {
            guard case let .list(items)? = value else { return nil }
            return items
        }
        let old = items(row.old), new = items(row.new)
        guard old != nil || new != nil,
              [row.old, row.new].contains(where: { FlatValues.displayCell($0, precision: precision).count > valueWidth })
        else { return [row] }
        let count = max(old?.count ?? 0, new?.count ?? 0)
        return (0..<count).compactMap { i in
            let a = old.flatMap { i < $0.count ? $0[i] : nil }, b = new.flatMap { i < $0.count ? $0[i] : nil }
            return all || a != b ? Row(path: row.path, key: "\(row.key)[\(i)]", old: a, new: b) : nil
        }
    }
}
