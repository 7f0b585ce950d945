import Foundation

/// A tiny ordered JSON value for metrics files: keys keep their insertion order and numbers print with fixed
/// precision, so a rerun with the same results writes the same bytes (Foundation's encoder does neither).
public indirect enum MetricsJSON: Sendable, Equatable {
    case number(Double)
    case int(Int)
    case string(String)
    case bool(Bool)
    case array([MetricsJSON])
    case object([(String, MetricsJSON)])

    /// The compact JSON text.
    public var text: String {
        switch self {
        case .number(let v): return v.isFinite ? String(format: "%.6g", v) : "null"
        case .int(let v): return String(v)
        case .bool(let v): return v ? "true" : "false"
        case .string(let s): return Self.quote(s)
        case .array(let items): return "[" + items.map(\.text).joined(separator: ",") + "]"
        case .object(let pairs): return "{" + pairs.map { Self.quote($0.0) + ":" + $0.1.text }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func == (a: MetricsJSON, b: MetricsJSON) -> Bool { a.text == b.text }
}
