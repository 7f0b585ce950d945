/// The one JSON writer: every file and line built from a `JSONValue` goes through `write(into:format:)`.
extension JSONValue {
    /// The JSON text in `format` (no trailing newline).
    public func text(_ format: JSONFormat = .compact) -> String {
        var out = ""
        write(into: &out, format: format)
        return out
    }

    /// Appends the JSON text in `format` to `out`.
    public func write(into out: inout String, format: JSONFormat = .compact) {
        write(into: &out, format: format, depth: 0)
    }

    private func write(into out: inout String, format: JSONFormat, depth: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += format.text(of: d)
        case let .string(s): JSONString.append(s, to: &out, escaping: format.escaping)
        case let .array(items):
            writeMembers(items, open: "[", close: "]", into: &out, format: format, depth: depth) { item, out in
                item.write(into: &out, format: format, depth: depth + 1)
            }
        case let .object(fields):
            let ordered = format.sortsKeys ? fields.sorted { $0.0 < $1.0 } : fields
            let colon = format.layout == .compact ? ":" : ": "
            writeMembers(ordered, open: "{", close: "}", into: &out, format: format, depth: depth) { field, out in
                JSONString.append(field.0, to: &out, escaping: format.escaping)
                out += colon
                field.1.write(into: &out, format: format, depth: depth + 1)
            }
        }
    }

    /// Brackets, separators and indentation around the members of an array or object.
    private func writeMembers<Member>(_ members: [Member], open: String, close: String, into out: inout String,
                                      format: JSONFormat, depth: Int,
                                      _ member: (Member, inout String) -> Void) {
        out += open
        defer { out += close }
        guard !members.isEmpty else { return }
        switch format.layout {
        case .compact, .spaced:
            let comma = format.layout == .compact ? "," : ", "
            for (index, item) in members.enumerated() {
                if index > 0 { out += comma }
                member(item, &out)
            }
        case let .indented(width):
            let pad = String(repeating: " ", count: width * (depth + 1))
            for (index, item) in members.enumerated() {
                out += index == 0 ? "\n" : ",\n"
                out += pad
                member(item, &out)
            }
            out += "\n" + String(repeating: " ", count: width * depth)
        }
    }
}
