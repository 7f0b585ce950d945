import PipeBasics

/// A metrics file's value: the project's one ordered JSON value, so keys keep their insertion order and a rerun
/// with the same results writes the same bytes (Foundation's encoder does neither).
public typealias MetricsJSON = JSONValue

extension JSONValue {
    /// A metric: a double written with six significant digits (`JSONFormat.metrics`).
    public static func number(_ value: Double) -> JSONValue { .double(value) }

    /// The compact metrics text (`JSONFormat.metrics`), without the trailing newline.
    public var metricsText: String { text(.metrics) }
}

extension JSONFormat {
    /// How metrics files are written: compact, keys in order, doubles as `%.6g` (NaN and infinities as `null`).
    public static let metrics = JSONFormat(doubles: .significantDigits(6))
}
