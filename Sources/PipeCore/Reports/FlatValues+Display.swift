/// Values as a terminal table shows them: lists (confusion matrices, per-class scores) on one line, space-separated
/// like NumPy prints them (`[[305 2 0] [425 2 0]]`), and shortened with `…` when a cell has to fit a width.
extension FlatValues {
    /// A table cell for the terminal: as `cell`, but a list or mapping in its compact one-line form, and when
    /// `maxWidth` is given, a list too long for it keeps its leading elements and ends in `…]`. Scalars are never
    /// cut (a number is whole or absent); `--json` shows every value in full.
    public static func displayCell(_ value: ParamValue?, precision: Int, maxWidth: Int? = nil) -> String {
        guard let value else { return cell(nil, precision: precision) }
        switch value {
        case .list, .dict:
            let full = compact(value, precision: precision)
            guard let maxWidth, full.count > maxWidth else { return full }
            return elided(value, precision: precision, maxWidth: maxWidth)
        default:
            return cell(value, precision: precision)
        }
    }

    /// One line for any value: `[a b c]` for lists, `{key: value, …}` for mappings, numbers at `precision`.
    public static func compact(_ value: ParamValue, precision: Int) -> String {
        switch value {
        case let .list(items): "[" + items.map { compact($0, precision: precision) }.joined(separator: " ") + "]"
        case let .dict(entries): "{" + entries.map { "\($0.0): \(compact($0.1, precision: precision))" }.joined(separator: ", ") + "}"
        default: cell(value, precision: precision)
        }
    }

    /// The longest prefix of a list's elements that fits `maxWidth` with ` …]` closing it (`[…]` when none
    /// fits); other values, and widths too small for `[…]`, are cut to `maxWidth - 1` characters and `…`.
    static func elided(_ value: ParamValue, precision: Int, maxWidth: Int) -> String {
        if case let .list(items) = value, maxWidth >= 3 {
            let parts = items.map { compact($0, precision: precision) }
            var kept = 0, length = 1 + 2   // "[" … "…]"
            while kept < parts.count, length + parts[kept].count + 1 <= maxWidth {
                length += parts[kept].count + 1
                kept += 1
            }
            return "[" + parts.prefix(kept).map { $0 + " " }.joined() + "…]"
        }
        return String(compact(value, precision: precision).prefix(max(maxWidth - 1, 0))) + "…"
    }
}
