import PipeBasics

/// A value read from a params file (YAML or JSON), kept with its key order so lock files and diffs are stable.
public indirect enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ParamValue])
    /// Keys in file order.
    case dict([(String, ParamValue)])

    public static func == (a: ParamValue, b: ParamValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x == y || (x.isNaN && y.isNaN)
        case let (.int(x), .double(y)), let (.double(y), .int(x)): Double(x) == y
        case let (.string(x), .string(y)): x == y
        case let (.list(x), .list(y)): x == y
        case let (.dict(x), .dict(y)):
            x.count == y.count && Dictionary(x, uniquingKeysWith: { a, _ in a }) == Dictionary(y, uniquingKeysWith: { a, _ in a })
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case let .bool(b): hasher.combine(b)
        case let .int(i): hasher.combine(Double(i))
        case let .double(d): hasher.combine(d)
        case let .string(s): hasher.combine(s)
        case let .list(l): hasher.combine(l)
        case let .dict(d): for (k, v) in d.sorted(by: { $0.0 < $1.0 }) { hasher.combine(k); hasher.combine(v) }
        }
    }

    /// Looks up a dotted key path (`sft.lr`, `layers.0.width`); nil when any part is absent.
    public func value(at dottedKey: String) -> ParamValue? {
        var current = self
        for part in dottedKey.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
            switch current {
            case let .dict(entries):
                guard let next = entries.first(where: { $0.0 == part })?.1 else { return nil }
                current = next
            case let .list(items):
                guard let i = Int(part), items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }

    /// The value as a scalar string for `${…}` interpolation; nil for lists and dicts.
    public var interpolationText: String? {
        switch self {
        case .null: "None"          // DVC splices Python's str(): None, inf, nan (booleans are its own true/false)
        case let .bool(b): b ? "true" : "false"
        case let .int(i): String(i)
        case let .double(d) where d.isNaN: "nan"
        case let .double(d) where d.isInfinite: d > 0 ? "inf" : "-inf"
        case let .double(d): ParamValue.format(d)
        case let .string(s): s
        case .list, .dict: nil
        }
    }

    /// Compact one-line rendering used in reasons (`sft.lr 0.0002 → 0.0001`).
    public var description: String {
        switch self {
        case .null: "null"
        case let .bool(b): b ? "true" : "false"
        case let .int(i): String(i)
        case let .double(d): ParamValue.format(d)
        case let .string(s): s
        case let .list(l): "[" + l.map(\.description).joined(separator: ", ") + "]"
        case let .dict(d): "{" + d.map { "\($0.0): \($0.1.description)" }.joined(separator: ", ") + "}"
        }
    }

    /// JSON text of the value, keys in file order; what stages receive in their environment.
    public var jsonText: String { jsonValue.text(.compact) }

    /// The value as ordered JSON (keys in file order); NaN and infinities become `null` when written.
    public var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case let .double(d): return .double(d)
        case let .string(s): return .string(s)
        case let .list(l): return .array(l.map(\.jsonValue))
        case let .dict(d): return .object(d.map { ($0.0, $0.1.jsonValue) })
        }
    }

    /// Shortest round-tripping text for a double, always with a decimal point or exponent.
    public static func format(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        let s = "\(d)"
        return s
    }
}
