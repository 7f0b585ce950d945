/// A JSON value with object keys in a fixed order, so records serialise byte-identically on every run.
public indirect enum JSONLineValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case array([JSONLineValue])
    case object([(String, JSONLineValue)])

    public static func == (a: JSONLineValue, b: JSONLineValue) -> Bool { a.text == b.text }

    /// Compact JSON text: keys in the given order, UTF-8 unescaped, `/` not escaped, no trailing newline.
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    /// Appends the compact JSON text to `out`.
    public func write(into out: inout String) {
        switch self {
        case let .string(s): Self.quote(s, into: &out)
        case let .int(i): out += String(i)
        case let .double(d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { out += String(Int(d)) } else if d.isFinite { out += "\(d)" } else { out += "null" }
        case let .bool(b): out += b ? "true" : "false"
        case .null: out += "null"
        case let .array(items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case let .object(fields):
            out += "{"
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    /// JSON string quoting: `"` `\` and control characters escaped, everything else (including `/`) as is.
    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// A row that serialises to one JSON Lines object with a fixed key order.
public protocol JSONLineEncodable {
    /// The fields in output order; optional fields absent when nil.
    var jsonLine: JSONLineValue { get }
}
