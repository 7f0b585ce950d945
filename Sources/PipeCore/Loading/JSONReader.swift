/// Parses JSON text into a `SourceNode` tree, keeping key order and each value's line and column.
///
/// Foundation's JSONSerialization loses key order (params diffs and lock files must not reorder keys) and
/// positions (errors must name file:line:column), hence this small RFC 8259 reader.
/// Integers without a fraction or exponent stay integers; `1.0` and `2e-4` are floats.
public enum JSONReader {
    /// Parses `text` read from `file`; throws `.yamlSyntax` (the code for any malformed params or pipeline text)
    /// naming the position of the first error. With `nonFiniteNumbers`, the bare `NaN`, `Infinity` and
    /// `-Infinity` that Python's `json.dump` writes by default (and DVC's reader takes) are numbers: metrics and
    /// plots files written by Python training code hold them; params and pipeline files stay strict JSON.
    public static func parse(_ text: String, file: String, nonFiniteNumbers: Bool = false) throws -> SourceNode {
        var parser = Parser(bytes: Array(text.utf8), file: file, nonFiniteNumbers: nonFiniteNumbers)
        parser.skipWhitespace()
        let value = try parser.value(keyPath: "")
        parser.skipWhitespace()
        guard parser.index == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        let file: String
        let nonFiniteNumbers: Bool
        var index = 0
        var line = 1
        var lineStart = 0

        init(bytes: [UInt8], file: String, nonFiniteNumbers: Bool) {
            self.bytes = bytes
            self.file = file
            self.nonFiniteNumbers = nonFiniteNumbers
        }

        var location: SourceLocation { SourceLocation(file: file, line: line, column: index - lineStart + 1) }

        func error(_ message: String) -> PipeError {
            PipeError(.yamlSyntax, "invalid JSON: \(message)", fix: "fix the JSON syntax at that position",
                      location: location)
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A: index += 1; line += 1; lineStart = index
                default: return
                }
            }
        }

        mutating func expect(_ literal: String) throws {
            for b in literal.utf8 {
                guard index < bytes.count, bytes[index] == b else { throw error("expected '\(literal)'") }
                index += 1
            }
        }

        mutating func value(keyPath: String) throws -> SourceNode {
            guard index < bytes.count else { throw error("unexpected end of input") }
            let here = location
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var entries: [SourceEntry] = []
                var seen = Set<String>()
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return SourceNode(.map([]), location: here) }
                while true {
                    skipWhitespace()
                    let keyLocation = location
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                    let key = try string()
                    guard seen.insert(key).inserted else {
                        throw PipeError(.yamlSyntax, "duplicate key '\(key)' in a JSON object", fix: "keep one entry per key",
                                        location: keyLocation)
                    }
                    skipWhitespace()
                    try expect(":")
                    skipWhitespace()
                    let child = try value(keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)")
                    entries.append(SourceEntry(key: key, keyLocation: keyLocation, value: child))
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unclosed object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                    throw error("expected ',' or '}'")
                }
                return SourceNode(.map(entries), location: here)
            case UInt8(ascii: "["):
                index += 1
                var items: [SourceNode] = []
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return SourceNode(.list([]), location: here) }
                while true {
                    skipWhitespace()
                    items.append(try value(keyPath: "\(keyPath)[\(items.count)]"))
                    skipWhitespace()
                    guard index < bytes.count else { throw error("unclosed array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                    throw error("expected ',' or ']'")
                }
                return SourceNode(.list(items), location: here)
            case UInt8(ascii: "\""):
                return SourceNode(.scalar(.string(try string())), location: here)
            case UInt8(ascii: "t"):
                try expect("true"); return SourceNode(.scalar(.bool(true)), location: here)
            case UInt8(ascii: "f"):
                try expect("false"); return SourceNode(.scalar(.bool(false)), location: here)
            case UInt8(ascii: "n"):
                try expect("null"); return SourceNode(.scalar(.null), location: here)
            case UInt8(ascii: "N") where nonFiniteNumbers:
                try expect("NaN"); return SourceNode(.scalar(.double(.nan)), location: here)
            case UInt8(ascii: "I") where nonFiniteNumbers:
                try expect("Infinity"); return SourceNode(.scalar(.double(.infinity)), location: here)
            case UInt8(ascii: "-") where nonFiniteNumbers && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "I"):
                try expect("-Infinity"); return SourceNode(.scalar(.double(-.infinity)), location: here)
            default:
                return SourceNode(.scalar(try number()), location: here)
            }
        }

        mutating func number() throws -> ParamValue {
            let start = index
            var isFloat = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            guard index > digitsStart else { throw error("expected a value") }
            if bytes[digitsStart] == 0x30, index - digitsStart > 1 { throw error("a number cannot have leading zeros") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                isFloat = true
                index += 1
                let fracStart = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > fracStart else { throw error("expected digits after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                isFloat = true
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                let expStart = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                guard index > expStart else { throw error("expected digits in the exponent") }
            }
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if !isFloat, let i = Int(text) { return .int(i) }
            guard let d = Double(text) else { throw error("'\(text)' is not a number") }
            return .double(d)
        }

        mutating func hex4() throws -> UInt32 {
            guard index + 4 <= bytes.count,
                  let v = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw error("expected four hex digits after \\u")
            }
            index += 4
            return v
        }

        mutating func string() throws -> String {
            index += 1  // opening quote
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw error("unclosed string") }
                let b = bytes[index]
                switch b {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw error("unclosed string") }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar) {
                            try expect("\\u")
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                        out.append(contentsOf: Array(String(Character(u)).utf8))
                    default:
                        throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
                    }
                case 0x00..<0x20:
                    throw error("a control character must be escaped inside a string")
                default:
                    out.append(b)
                    index += 1
                }
            }
        }
    }
}
