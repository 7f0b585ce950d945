import Foundation

/// DVC's dictionary unpacking in `cmd`: `train ${opts}` with `opts: {lr: 0.1, fast: true, layers: [8, 16]}`
/// becomes `train --lr 0.1 --fast --layers 8 16`.
///
/// Rules (DVC's defaults): nested keys are joined with `.`; `true` gives `--key` and `false` nothing; a string
/// gives `--key value` quoted for the shell like Python's `shlex.quote`; a list gives `--key a b c` (strings
/// quoted; a list inside a list is an error); anything else `--key value`.
enum CommandArguments {
    /// The argument text for the mapping `pairs` (no trailing space).
    static func unpack(_ pairs: [(String, ParamValue)], location: SourceLocation, keyPath: String) throws -> String {
        var parts: [String] = []
        for (key, value) in flatten(pairs, prefix: "") {
            switch value {
            case let .bool(b):
                if b { parts.append("--\(key)") }
            case let .string(s):
                parts.append("--\(key) \(shellQuote(s))")
            case let .list(items):
                var words = ["--\(key)"]
                for item in items {
                    switch item {
                    case let .string(s): words.append(shellQuote(s))
                    case .list, .dict:
                        throw PipeError(.invalidValue, "cannot unpack the nested list in '\(key)' into command arguments",
                                        fix: "flatten the list, or pass it another way", location: location, keyPath: keyPath)
                    default: words.append(item.interpolationText ?? "")
                    }
                }
                parts.append(words.joined(separator: " "))
            default:
                parts.append("--\(key) \(value.interpolationText ?? "")")
            }
        }
        return parts.joined(separator: " ")
    }

    private static func flatten(_ pairs: [(String, ParamValue)], prefix: String) -> [(String, ParamValue)] {
        var result: [(String, ParamValue)] = []
        for (key, value) in pairs {
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            if case let .dict(inner) = value {
                result += flatten(inner, prefix: full)
            } else {
                result.append((full, value))
            }
        }
        return result
    }

    /// Python's `shlex.quote`: unchanged when made only of `[A-Za-z0-9_@%+=:,./-]`, else single-quoted.
    static func shellQuote(_ s: String) -> String {
        if s.isEmpty { return "''" }
        let safe = s.unicodeScalars.allSatisfy { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || "_@%+=:,./-".unicodeScalars.contains(u))
        }
        if safe { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\"'\"'") + "'"
    }
}

