import Foundation

/// Writes JSON values the way Python's `json.dumps(value, indent=2, sort_keys=True)` does, which is how
/// `transformers` saves `config.json`: `": "` after keys, two-space indents, keys sorted, floats as Python `repr`
/// (`6.0`, `1e-06`), non-ASCII escaped as `\uXXXX`. A config rewritten here diffs cleanly against the original.
public enum PythonStyleJSON {
    /// The text for a value parsed by `JSONSerialization` or built from Swift `Bool`/`Int`/`Double`/`String`/
    /// `NSNull`/arrays/`[String: Any]`, followed by a newline.
    public static func encode(_ value: Any) -> String {
        var out = ""
        write(value, indent: 0, into: &out)
        return out + "\n"
    }

    private static func write(_ value: Any, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent + 2), closing = String(repeating: " ", count: indent)
        switch value {
        case let dictionary as [String: Any]:
            guard !dictionary.isEmpty else { out += "{}"; return }
            out += "{\n"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                out += pad + quoted(key) + ": "
                write(dictionary[key]!, indent: indent + 2, into: &out)
                out += index + 1 < dictionary.count ? ",\n" : "\n"
            }
            out += closing + "}"
        case let array as [Any]:
            guard !array.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (index, item) in array.enumerated() {
                out += pad
                write(item, indent: indent + 2, into: &out)
                out += index + 1 < array.count ? ",\n" : "\n"
            }
            out += closing + "]"
        case let text as String:
            out += quoted(text)
        case is NSNull:
            out += "null"
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": out += number.boolValue ? "true" : "false"
            case "d", "f": out += pythonFloat(number.doubleValue)
            default: out += number.stringValue
            }
        case let flag as Bool:
            out += flag ? "true" : "false"
        case let integer as Int:
            out += String(integer)
        case let real as Double:
            out += pythonFloat(real)
        default:
            out += quoted(String(describing: value))
        }
    }

    /// Python's float repr (Swift's shortest round-trip description has the same form); NaN/inf as Python writes them.
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "Infinity" : "-Infinity" }
        return value.description
    }

    /// A JSON string with Python's `ensure_ascii` escaping.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
