import Foundation
import PipeBasics

/// Writes JSON values the way Python's `json.dumps(value, indent=2, sort_keys=True)` does, which is how
/// `transformers` saves `config.json`: `": "` after keys, two-space indents, keys sorted, floats as Python `repr`
/// (`6.0`, `1e-06`), non-ASCII escaped as `\uXXXX`. A config rewritten here diffs cleanly against the original.
/// The writing is PipeBasics' one JSON writer in its `.python` format; this adds the `Any` → `JSONValue` step.
public enum PythonStyleJSON {
    /// The text for a value parsed by `JSONSerialization` or built from Swift `Bool`/`Int`/`Double`/`String`/
    /// `NSNull`/arrays/`[String: Any]`, followed by a newline.
    public static func encode(_ value: Any) -> String {
        json(value).text(.python) + "\n"
    }

    /// The ordered JSON value for a `JSONSerialization`-style tree (`NSNumber` booleans and floats told apart
    /// by their `objCType`, as Python tells `True` from `1` and `1.0` from `1`).
    static func json(_ value: Any) -> JSONValue {
        switch value {
        case let dictionary as [String: Any]:
            return .object(dictionary.map { ($0.key, json($0.value)) })
        case let array as [Any]:
            return .array(array.map(json))
        case let text as String:
            return .string(text)
        case is NSNull:
            return .null
        case let number as NSNumber:
            switch String(cString: number.objCType) {
            case "c", "B": return .bool(number.boolValue)
            case "d", "f": return .double(number.doubleValue)
            default: return .int(number.intValue)
            }
        case let flag as Bool:
            return .bool(flag)
        case let integer as Int:
            return .int(integer)
        case let real as Double:
            return .double(real)
        default:
            return .string(String(describing: value))
        }
    }
}
