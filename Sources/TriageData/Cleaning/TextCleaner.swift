import Foundation

/// Normalises the text of a record: HTML and Markdown markup stripped, character entities decoded, Unicode NFC,
/// control characters dropped, and every run of whitespace collapsed to one space.
public struct TextCleaner: Sendable {
    public init() {}

    static let blockTags: Set<String> = ["p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "h1", "h2", "h3",
                                         "h4", "h5", "h6", "table", "section", "article", "blockquote", "hr"]
    static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "eacute": "é", "egrave": "è",
        "ecirc": "ê", "agrave": "à", "acirc": "â", "ccedil": "ç", "ugrave": "ù", "ucirc": "û", "ocirc": "ô",
        "icirc": "î", "iuml": "ï", "euml": "ë", "oelig": "œ", "Eacute": "É", "deg": "°", "rsquo": "’",
        "lsquo": "‘", "hellip": "…", "ndash": "–", "mdash": "—",
    ]

    /// The cleaned text, and whether markup was found (for the report).
    public func clean(_ text: String) -> (text: String, hadMarkup: Bool) {
        var hadMarkup = false
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "<", let end = tagEnd(scalars, from: i) {
                let inner = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                let name = inner.drop(while: { $0 == "/" }).prefix(while: { $0.isLetter || $0.isNumber }).lowercased()
                out += Self.blockTags.contains(name) ? " " : ""
                hadMarkup = true
                i = end + 1
                continue
            }
            if s == "&", let (decoded, length) = entity(scalars, from: i) {
                out += decoded
                hadMarkup = true
                i += length
                continue
            }
            out.unicodeScalars.append(s)
            i += 1
        }
        let (unmarked, hadMarkdown) = stripMarkdown(out)
        let composed = unmarked.precomposedStringWithCanonicalMapping
        return (collapseWhitespace(composed), hadMarkup || hadMarkdown)
    }

    /// The index of the `>` closing a tag that starts at `start`, if this `<` opens a plausible tag.
    func tagEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        let next = start + 1
        guard next < scalars.count else { return nil }
        let first = scalars[next]
        guard first == "/" || first == "!" || (first.properties.isAlphabetic && first.isASCII) else { return nil }
        var j = next
        while j < scalars.count, j - start < 200 {
            if scalars[j] == ">" { return j }
            if scalars[j] == "<" { return nil }
            j += 1
        }
        return nil
    }

    /// Decodes `&name;`, `&#233;` or `&#xE9;` at `start`: the text and how many scalars it used.
    func entity(_ scalars: [Unicode.Scalar], from start: Int) -> (String, Int)? {
        var j = start + 1
        var body = ""
        while j < scalars.count, j - start <= 10, scalars[j] != ";" {
            body.unicodeScalars.append(scalars[j])
            j += 1
        }
        guard j < scalars.count, scalars[j] == ";", !body.isEmpty else { return nil }
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return (String(scalar), j - start + 1)
        }
        guard let decoded = Self.namedEntities[body] else { return nil }
        return (decoded, j - start + 1)
    }

    /// Removes Markdown emphasis markers (`**`, `__`), heading hashes and list bullets at line starts.
    func stripMarkdown(_ text: String) -> (String, Bool) {
        guard text.contains("**") || text.contains("__") || text.contains("\n- ") || text.contains("\n#")
            || text.hasPrefix("#") || text.hasPrefix("- ") else { return (text, false) }
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = Substring(line)
            while l.first == "#" { l = l.dropFirst() }
            if l.hasPrefix("- ") || l.hasPrefix("* ") { l = l.dropFirst(2) }
            lines.append(String(l))
        }
        let joined = lines.joined(separator: "\n").replacingOccurrences(of: "**", with: "")
            .replacingOccurrences(of: "__", with: "")
        return (joined, true)
    }

    /// Every whitespace run (spaces, tabs, newlines, no-break spaces) becomes one space; control characters go;
    /// leading and trailing whitespace is trimmed.
    public func collapseWhitespace(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format { continue }
            if pendingSpace { out += " "; pendingSpace = false }
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
