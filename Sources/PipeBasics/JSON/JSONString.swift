/// The one JSON string quoter (RFC 8259 §7), so every file and line the project writes escapes strings the same way.
///
/// `"` and `\` are escaped, so are the C0 controls: `\b \f \n \r \t` in their short forms and the rest as `\u00XX`
/// (lowercase hex, as serde_json and Python write them). `/` is never escaped. Non-ASCII is kept as UTF-8, or, with
/// `.ascii`, written as `\uXXXX` UTF-16 units (surrogate pairs above U+FFFF) and DEL as `\u007f`, which is Python's
/// `json.dumps(ensure_ascii=True)` byte for byte.
public enum JSONString {
    /// How characters outside printable ASCII are written.
    public enum Escaping: Sendable, Equatable {
        /// Kept as UTF-8 (only `"`, `\` and C0 controls escaped): JSON Lines, metrics, tokenizer.json, lines to pipe.
        case utf8
        /// Everything but printable ASCII escaped as `\uXXXX`: Python's `ensure_ascii`, for HF config files.
        case ascii
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quote(_ text: String, escaping: Escaping = .utf8) -> String {
        var out = ""
        append(text, to: &out, escaping: escaping)
        return out
    }

    /// Appends `text` as a JSON string literal to `out` (the writer's hot path: no intermediate string).
    public static func append(_ text: String, to out: inout String, escaping: Escaping = .utf8) {
        out.unicodeScalars.append("\"")
        switch escaping {
        case .utf8:
            for scalar in text.unicodeScalars {
                if scalar.value < 0x20 || scalar == "\"" || scalar == "\\" {
                    appendEscape(UInt16(scalar.value), to: &out)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        case .ascii:
            for unit in text.utf16 {
                if (0x20..<0x7F).contains(unit), unit != 0x22, unit != 0x5C {
                    out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
                } else {
                    appendEscape(unit, to: &out)
                }
            }
        }
        out.unicodeScalars.append("\"")
    }

    /// The escape for one UTF-16 unit that may not appear raw.
    private static func appendEscape(_ unit: UInt16, to out: inout String) {
        switch unit {
        case 0x22: out += "\\\""
        case 0x5C: out += "\\\\"
        case 0x08: out += "\\b"
        case 0x0C: out += "\\f"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        default:
            let hex = String(unit, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
