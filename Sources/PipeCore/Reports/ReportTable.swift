import Foundation

/// A table of text cells printed as aligned plain text or as a Markdown table; every report command prints one.
public struct ReportTable: Sendable, Equatable {
    /// Column headers.
    public var header: [String]
    /// Rows, each as many cells as the header.
    public var rows: [[String]]

    /// A table with `header` and `rows` (short rows are padded with empty cells).
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows.map { $0 + Array(repeating: "", count: max(0, header.count - $0.count)) }
    }

    /// Columns separated by two spaces, each as wide as its widest cell (counted in characters), no trailing
    /// spaces; one line per row after the header.
    public func text() -> String {
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (c, cell) in cells.enumerated() {
                out += cell
                if c < cells.count - 1 { out += String(repeating: " ", count: widths[c] - cell.count + 2) }
            }
            while out.hasSuffix(" ") { out.removeLast() }
            return out
        }
        return ([header] + rows).map(line).joined(separator: "\n") + "\n"
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
