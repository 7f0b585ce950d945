import Testing
import PipeBasics

@Suite struct JSONStringTests {
    /// The RFC 8259 escape of every C0 control character, written out rather than computed.
    static let controlEscapes = [
        #"\u0000"#, #"\u0001"#, #"\u0002"#, #"\u0003"#, #"\u0004"#, #"\u0005"#, #"\u0006"#, #"\u0007"#,
        #"\b"#, #"\t"#, #"\n"#, #"\u000b"#, #"\f"#, #"\r"#, #"\u000e"#, #"\u000f"#,
        #"\u0010"#, #"\u0011"#, #"\u0012"#, #"\u0013"#, #"\u0014"#, #"\u0015"#, #"\u0016"#, #"\u0017"#,
        #"\u0018"#, #"\u0019"#, #"\u001a"#, #"\u001b"#, #"\u001c"#, #"\u001d"#, #"\u001e"#, #"\u001f"#,
    ]

    @Test("every C0 control character gets its RFC 8259 escape, short forms for b f n r t", arguments: 0..<32)
    func controlCharacters(code: Int) {
        let text = String(Unicode.Scalar(UInt8(code)))
        #expect(JSONString.quote(text) == "\"" + Self.controlEscapes[code] + "\"")
        #expect(JSONString.quote(text, escaping: .ascii) == "\"" + Self.controlEscapes[code] + "\"")
    }

    @Test("quotes and backslashes are escaped, slash and printable ASCII are kept")
    func quotesAndBackslashes() {
        #expect(JSONString.quote(#"say "hi" \ a/b ~"#) == #""say \"hi\" \\ a/b ~""#)
        #expect(JSONString.quote(#"say "hi" \ a/b ~"#, escaping: .ascii) == #""say \"hi\" \\ a/b ~""#)
    }

    @Test("non-ASCII stays UTF-8 by default and becomes UTF-16 escapes (with surrogate pairs) in ascii mode")
    func nonASCII() {
        let text = "café ß 中 \u{1F600} \u{7F}"
        #expect(JSONString.quote(text) == "\"café ß 中 \u{1F600} \u{7F}\"")
        #expect(JSONString.quote(text, escaping: .ascii) == #""caf\u00e9 \u00df \u4e2d \ud83d\ude00 \u007f""#)
    }

    @Test("appending writes the same literal as quoting, after what the buffer held")
    func appendMatchesQuote() {
        var out = "x="
        JSONString.append("a\nb", to: &out)
        #expect(out == "x=" + JSONString.quote("a\nb"))
    }
}
