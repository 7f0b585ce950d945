import Foundation

/// Nested values flattened to dotted keys (`train.loss`), in file order, as metrics and params tables show them.
///
/// Only mappings are flattened; a list stays one value (as DVC does), so a per-class list reads as one cell.
public enum FlatValues {
    /// The leaves of `value` by dotted key, prefixed with `prefix` (no prefix: top-level keys as they are).
    /// A scalar at the top level is one entry under `prefix` (or `""`).
    public static func flatten(_ value: ParamValue, prefix: String = "") -> [(key: String, value: ParamValue)] {
        guard case let .dict(entries) = value else { return [(prefix, value)] }
        var out: [(key: String, value: ParamValue)] = []
        for (key, child) in entries {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if case let .dict(inner) = child, !inner.isEmpty {
                out += flatten(child, prefix: path)
            } else {
                out.append((path, child))
            }
        }
        return out
    }

    /// `{"file": {"key": value, …}, …}` plus a newline: diff rows regrouped by file (files in first-seen order, keys
    /// in row order), the JSON shape `params diff` and `metrics diff` share with DVC.
    public static func jsonByFile(_ rows: [(file: String, key: String, value: ParamValue)]) -> String {
        var files: [(String, [(String, ParamValue)])] = []
        for row in rows {
            if let i = files.firstIndex(where: { $0.0 == row.file }) { files[i].1.append((row.key, row.value)) }
            else { files.append((row.file, [(row.key, row.value)])) }
        }
        return ParamValue.dict(files.map { ($0.0, .dict($0.1)) }).jsonText + "\n"
    }

    /// The number a value holds, if it is numeric (ints and doubles; booleans are not numbers here).
    public static func number(_ value: ParamValue?) -> Double? {
        switch value {
        case let .int(i)?: Double(i)
        case let .double(d)?: d
        default: nil
        }
    }

    /// A value for a table cell: integers as they are, doubles rounded to `precision` decimal digits with
    /// trailing zeros dropped, text as is, and `-` for a value that is absent.
    public static func cell(_ value: ParamValue?, precision: Int) -> String {
        switch value {
        case nil: return "-"
        case let .double(d)?: return formatNumber(d, precision: precision)
        case let v?: return v.description
        }
    }

    /// `d` rounded to `precision` decimal digits, trailing zeros trimmed; tiny or huge values in exponent form.
    /// Deterministic: goes through C formatting, never through the locale.
    public static func formatNumber(_ d: Double, precision: Int) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == 0 { return "0" }
        let magnitude = abs(d)
        if magnitude >= 1e15 || magnitude < pow(10, Double(-max(precision, 0))) / 2 {
            return String(format: "%.\(max(precision - 1, 0))e", d)
        }
        var s = String(format: "%.\(max(precision, 0))f", d)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}
