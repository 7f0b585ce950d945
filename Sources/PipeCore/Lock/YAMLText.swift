import Yams
import PipeBasics

/// Deterministic YAML text for lock files: a tiny emitter whose output never depends on a resolver's whims,
/// and the reading side that maps Yams nodes back to `ParamValue` with the same rules.
enum YAMLText {
    static let keywords: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
                                        "True", "False", "TRUE", "FALSE", "Null", "NULL", "Yes", "No", "On", "Off"]

    /// A string as a YAML scalar: plain when it cannot be misread, double-quoted (JSON escapes) otherwise.
    static func scalar(_ s: String) -> String {
        if isPlainSafe(s) { return s }
        return JSONString.quote(s)
    }

    static func isPlainSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !keywords.contains(s) else { return false }
        if Int(s) != nil || Double(s) != nil || s.hasPrefix(".") { return false }
        let allowedFirst = CharacterSetLite.letters.contains(first) || first == "_" || first == "/"
        guard allowedFirst else { return false }
        for u in s.unicodeScalars {
            guard CharacterSetLite.letters.contains(u) || CharacterSetLite.digits.contains(u)
                || "_./@-+".unicodeScalars.contains(u) else { return false }
        }
        return true
    }

    /// A params value as an inline scalar, or nil when it needs block form (non-empty list or dict).
    static func inline(_ v: ParamValue) -> String? {
        switch v {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .int(i): return String(i)
        case let .double(d):
            var s = ParamValue.format(d)
            if !s.contains(".") && !s.contains("e") && !s.contains("inf") && !s.contains("nan") { s += ".0" }
            return s
        case let .string(s): return scalar(s)
        case let .list(l): return l.isEmpty ? "[]" : nil
        case let .dict(d): return d.isEmpty ? "{}" : nil
        }
    }

    /// Appends `key: value` at `indent`, recursing into block lists and dicts.
    static func emit(key: String, value: ParamValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        if let text = inline(value) {
            out += "\(pad)\(scalar(key)): \(text)\n"
            return
        }
        out += "\(pad)\(scalar(key)):\n"
        emitBlock(value, indent: indent + 2, into: &out)
    }

    static func emitBlock(_ value: ParamValue, indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case let .dict(entries):
            for (k, v) in entries { emit(key: k, value: v, indent: indent, into: &out) }
        case let .list(items):
            for item in items {
                if let text = inline(item) {
                    out += "\(pad)- \(text)\n"
                } else {
                    // Nested block under a dash: render then splice the dash onto the first line.
                    var inner = ""
                    emitBlock(item, indent: indent + 2, into: &inner)
                    let trimmed = inner.dropFirst(indent + 2)
                    out += "\(pad)- " + trimmed
                }
            }
        default:
            out += "\(pad)\(inline(value) ?? "null")\n"
        }
    }

    /// Reads a Yams node as a `ParamValue`: quoted scalars are strings; plain ones are int, float, bool, null or string.
    static func paramValue(_ node: Node) -> ParamValue {
        switch node {
        case let .scalar(s):
            if s.style != .plain { return .string(s.string) }
            return plainScalar(s.string)
        case let .sequence(seq):
            return .list(seq.map(paramValue))
        case let .mapping(map):
            return .dict(map.map { (k, v) in (k.string ?? "\(k)", paramValue(v)) })
        case .alias:
            return .null
        }
    }

    static func plainScalar(_ text: String) -> ParamValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", "+.inf", ".Inf": return .double(.infinity)
        case "-.inf", "-.Inf": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        if let i = Int(text) { return .int(i) }
        if let d = Double(text), text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) == true {
            return .double(d)
        }
        return .string(text)
    }
}

/// ASCII classes without Foundation, for the emitter's plain-scalar test.
enum CharacterSetLite {
    enum Class { case letters, digits
        func contains(_ u: Unicode.Scalar) -> Bool {
            switch self {
            case .letters: ("a"..."z").contains(u) || ("A"..."Z").contains(u)
            case .digits: ("0"..."9").contains(u)
            }
        }
    }
    static let letters = Class.letters
    static let digits = Class.digits
}
