/// The terminal layout of `pipe metrics show`, chosen to fit `width` columns.
extension MetricsTable {
    /// DVC's single table (a row per file, the union of keys as columns) when it fits `width`. Otherwise one
    /// section per file, headed by its path: the file's own keys across (two lines) when they fit; else, for a
    /// file of like mappings (a block per model), a metric per line and a column per block when that fits; else
    /// the long format, one `key  value` line per metric, lists shortened to fit. Empty when no file is present.
    public static func text(_ metrics: MetricsSnapshot, width: Int, precision: Int = 5) -> String {
        let combined = table(metrics, precision: precision, compactLists: true)
        if combined.rows.isEmpty { return "" }
        if combined.width() <= width { return combined.text() }
        return metrics.files.compactMap { file in
            file.values.map { file.path + "\n" + section($0, width: width, precision: precision) }
        }.joined(separator: "\n")
    }

    /// Indent of the lines under a file's heading.
    static let indent = "  "

    /// The narrowest a shortened list gets, however long the key beside it: enough to show its first element.
    static let minimumValueWidth = 16

    /// A file's metrics under its heading, in the first layout that fits: across, by block, or a line each.
    static func section(_ values: ParamValue, width: Int, precision: Int) -> String {
        let leaves = FlatValues.flatten(values)
        let across = ReportTable(header: leaves.map(\.key),
                                 rows: [leaves.map { FlatValues.displayCell($0.value, precision: precision) }])
        if indent.count + across.width() <= width { return across.text(indent: indent) }
        if let blocks = byBlock(values, precision: precision) {
            if indent.count + blocks.width() <= width { return blocks.text(indent: indent) }
            // Lists shortened to an equal share of the line, when that still shows their first element.
            let share = (width - indent.count - blocks.columnWidths()[0]) / (blocks.header.count - 1) - 2
            if share >= minimumValueWidth, let narrow = byBlock(values, precision: precision, maxWidth: share),
               indent.count + narrow.width() <= width {
                return narrow.text(indent: indent)
            }
        }
        let keyWidth = leaves.map(\.key.count).max() ?? 0
        let valueWidth = max(width - indent.count - keyWidth - 2, minimumValueWidth)
        let long = ReportTable(header: ["Metric", "Value"], rows: leaves.map {
            [$0.key, FlatValues.displayCell($0.value, precision: precision, maxWidth: valueWidth)]
        })
        return long.text(withHeader: false, indent: indent)
    }

    /// For a file whose top level is two or more mappings sharing their keys (`{"base": {…}, "sft": {…}}`), a
    /// table with a column per mapping and a row per key inside them (`-` where one lacks it); nil otherwise,
    /// or when the keys are mostly not shared (fewer than two blocks per key on average). Lists are shortened to
    /// `maxWidth` when given.
    static func byBlock(_ values: ParamValue, precision: Int, maxWidth: Int? = nil) -> ReportTable? {
        guard case let .dict(entries) = values, entries.count >= 2 else { return nil }
        var blocks: [(name: String, leaves: [String: ParamValue])] = []
        var keys: [String] = []
        var seen = Set<String>()
        var leafCount = 0
        for (name, child) in entries {
            guard case let .dict(inner) = child, !inner.isEmpty else { return nil }
            let leaves = FlatValues.flatten(child)
            for leaf in leaves where seen.insert(leaf.key).inserted { keys.append(leaf.key) }
            leafCount += leaves.count
            blocks.append((name, Dictionary(leaves.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })))
        }
        guard keys.count * 2 <= leafCount else { return nil }
        return ReportTable(header: ["Metric"] + blocks.map(\.name), rows: keys.map { key in
            [key] + blocks.map { FlatValues.displayCell($0.leaves[key], precision: precision, maxWidth: maxWidth) }
        })
    }
}
