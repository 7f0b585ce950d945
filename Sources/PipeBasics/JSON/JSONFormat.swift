import Foundation

/// How `JSONValue` is written: separators and indentation, key order, string escaping and number text.
///
/// The presets are the styles the project's files need; each exists to keep some shipped output byte-identical
/// (`python` matches `json.dumps(indent=2, sort_keys=True)` for Hugging Face config files).
public struct JSONFormat: Sendable, Equatable {
    /// Where whitespace goes.
    public enum Layout: Sendable, Equatable {
        /// `{"a":1,"b":[2,3]}`: no whitespace at all.
        case compact
        /// `{"a": 1, "b": [2, 3]}`: Python's `json.dumps` default separators, on one line.
        case spaced
        /// One member per line, indented by this many spaces per level, `": "` after keys, `{}`/`[]` when empty
        /// (Python's `json.dumps(indent=N)`).
        case indented(Int)
    }

    /// How a `Double` is written.
    public enum Doubles: Sendable, Equatable {
        /// Swift's shortest round-trip text (`0.5`, `1.0`, `1e-06`); NaN and infinities as `null`.
        case shortest
        /// Whole values below 10^15 as integers (`3`), others shortest; NaN and infinities as `null`.
        case integralAsInteger
        /// `printf("%.Ng")` with N significant digits (`0.333333`); NaN and infinities as `null`.
        case significantDigits(Int)
        /// Python's `repr` (Swift's shortest text has its form) with `NaN`, `Infinity`, `-Infinity` as Python
        /// writes them (not valid JSON, but what `json.dumps` produces).
        case python
    }

    public var layout: Layout
    /// Whether object keys are written sorted (Swift `String` order) instead of in insertion order.
    public var sortsKeys: Bool
    public var escaping: JSONString.Escaping
    public var doubles: Doubles

    /// A format from its parts; the defaults are `compact`.
    public init(layout: Layout = .compact, sortsKeys: Bool = false, escaping: JSONString.Escaping = .utf8,
                doubles: Doubles = .shortest) {
        self.layout = layout
        self.sortsKeys = sortsKeys
        self.escaping = escaping
        self.doubles = doubles
    }

    /// No whitespace, keys in order, UTF-8 kept, shortest doubles: lines for the engine, params, reports.
    public static let compact = JSONFormat()
    /// `json.dumps(value, indent=2, sort_keys=True)` with `ensure_ascii`: how `transformers` saves `config.json`.
    public static let python = JSONFormat(layout: .indented(2), sortsKeys: true, escaping: .ascii, doubles: .python)

    /// The text of one double in this format.
    public func text(of value: Double) -> String {
        switch doubles {
        case .python:
            if value.isNaN { return "NaN" }
            if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
            return value.description
        case _ where !value.isFinite:
            return "null"
        case .shortest:
            return value.description
        case .integralAsInteger:
            return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : value.description
        case let .significantDigits(digits):
            return String(format: "%.\(digits)g", value)
        }
    }
}
