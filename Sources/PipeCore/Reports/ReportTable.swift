import Foundation

/// A table of text cells printed as aligned plain text or as a Markdown table; every report command prints one.
public struct ReportTable: Sendable, Equatable {
    /// Column headers.
    public var header: [String]
    /// Rows, each as many cells as the header.
    public var rows: [[String]]
    /// Columns whose cells `text()` pads on the left (numbers read best right-aligned); headers stay left-aligned.
    public var rightAligned: Set<Int> = []

    /// A table with `header` and `rows` (short rows are padded with empty cells).
    public init(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
        self.header = header
        self.rows = rows.map { $0 + Array(repeating: "", count: max(0, header.count - $0.count)) }
        self.rightAligned = rightAligned
    }

    /// Each column's width in characters: its widest cell, the header included when `withHeader`.
    public func columnWidths(withHeader: Bool = true) -> [Int] {
        let lines = withHeader ? [header] + rows : rows
        return header.indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
    }

    /// The length of the longest line `text(withHeader:)` prints, without indent: how wide a terminal must be for
    /// the table not to wrap.
    public func width(withHeader: Bool = true) -> Int {
        let widths = columnWidths(withHeader: withHeader)
        return widths.reduce(0, +) + 2 * max(widths.count - 1, 0)
    }

    /// Columns separated by two spaces, each as wide as its widest cell (counted in characters), no trailing
    /// spaces; one line per row after the header (no header line unless `withHeader`), each after `indent`.
    public func text(withHeader: Bool = true, indent: String = "") -> String {
        let widths = columnWidths(withHeader: withHeader)
        func line(_ cells: [String], isHeader: Bool) -> String {
            var out = indent
            for (c, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                if rightAligned.contains(c) && !isHeader { out += pad + cell } else { out += cell + pad }
                if c < cells.count - 1 { out += "  " }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        let lines = (withHeader ? [line(header, isHeader: true)] : []) + rows.map { line($0, isHeader: false) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table (pipes in cells escaped).
    public func markdown() -> String {
        func line(_ cells: [String]) -> String {
            "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        let rule = "|" + header.map { _ in "---" }.joined(separator: "|") + "|"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
