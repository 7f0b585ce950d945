/// A JSON value whose object keys keep their insertion order, so whatever is built from it serialises to the same
/// bytes on every run (Foundation's `JSONSerialization` orders keys by hash).
///
/// Objects are `[(key, value)]` rather than a dictionary: callers list fields in output order and nothing here
/// needs lookup by key. Write it with `text(_:)` in a `JSONFormat`.
public indirect enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
}

extension JSONValue: Equatable {
    /// Structural equality; object fields compare in order (two orders are two different files).
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y || (x.isNaN && y.isNaN)
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

