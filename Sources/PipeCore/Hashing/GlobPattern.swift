/// A gitignore-style glob compiled to bytes: `*`, `?`, `[a-z]`/`[!…]` classes, `\` escapes and `**` spanning
/// directories (`**/x`, `x/**`, `a/**/b`). `*` and `?` never match `/`.
///
/// Matching backtracks; paths are short, so the worst case stays cheap in practice.
public struct GlobPattern: Sendable, Hashable {
    let bytes: [UInt8]

    /// Compiles `pattern` (no validation needed: an unclosed `[` matches a literal `[`, as in git).
    public init(_ pattern: String) { bytes = Array(pattern.utf8) }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let t = Array(text.utf8)
        return GlobPattern.match(bytes, 0, t, 0)
    }

    /// Whether the whole of `text` (UTF-8 bytes) matches.
    public func matches(bytes text: ArraySlice<UInt8>) -> Bool {
        GlobPattern.match(bytes, 0, Array(text), 0)
    }

    private static let star = UInt8(ascii: "*"), slash = UInt8(ascii: "/"), question = UInt8(ascii: "?")
    private static let open = UInt8(ascii: "["), backslash = UInt8(ascii: "\\")

    private static func match(_ p: [UInt8], _ pi: Int, _ t: [UInt8], _ ti: Int) -> Bool {
        var pi = pi, ti = ti
        while pi < p.count {
            let c = p[pi]
            if c == star {
                var q = pi
                while q < p.count && p[q] == star { q += 1 }
                let doubled = q - pi >= 2
                let atStart = pi == 0 || p[pi - 1] == slash
                let atEnd = q == p.count || p[q] == slash
                if doubled && atStart && atEnd {
                    if q == p.count { return ti < t.count }          // `x/**`: anything inside
                    if match(p, q + 1, t, ti) { return true }        // `**/` matching zero directories
                    var i = ti
                    while i < t.count {
                        if t[i] == slash && match(p, q + 1, t, i + 1) { return true }
                        i += 1
                    }
                    return false
                }
                // a single `*` (or a `**` not between slashes): any run of non-slash bytes
                if q == p.count { return !t[ti...].contains(slash) }
                var i = ti
                while true {
                    if match(p, q, t, i) { return true }
                    if i >= t.count || t[i] == slash { return false }
                    i += 1
                }
            }
            guard ti < t.count else { return false }
            if c == question {
                if t[ti] == slash { return false }
                pi += 1; ti += 1
            } else if c == open, let (matched, next) = matchClass(p, pi, t[ti]) {
                if !matched || t[ti] == slash { return false }
                pi = next; ti += 1
            } else if c == backslash && pi + 1 < p.count {
                if p[pi + 1] != t[ti] { return false }
                pi += 2; ti += 1
            } else {
                if c != t[ti] { return false }
                pi += 1; ti += 1
            }
        }
        return ti == t.count
    }

    /// Matches `byte` against the class starting at `p[start] == "["`; nil when the class is unterminated.
    private static func matchClass(_ p: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var i = start + 1
        var negate = false
        if i < p.count && (p[i] == UInt8(ascii: "!") || p[i] == UInt8(ascii: "^")) { negate = true; i += 1 }
        var matched = false
        var first = true
        while i < p.count {
            var lo = p[i]
            if lo == UInt8(ascii: "]") && !first { return (matched != negate, i + 1) }
            first = false
            if lo == backslash && i + 1 < p.count { i += 1; lo = p[i] }
            var hi = lo
            if i + 2 < p.count && p[i + 1] == UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "]") {
                hi = p[i + 2]
                if hi == backslash && i + 3 < p.count { hi = p[i + 3]; i += 1 }
                i += 2
            }
            if lo <= byte && byte <= hi { matched = true }
            i += 1
        }
        return nil
    }
}
