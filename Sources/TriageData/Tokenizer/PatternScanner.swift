/// Hand-written scanners equivalent to the two pre-tokenizer regular expressions byte-level BPEs ship with.
///
/// A regex engine spends most of a tokenizer's time; these scanners walk the UTF-8 once, classify each scalar
/// with `ScalarClass` and reproduce the leftmost-first alternation and backtracking of the patterns exactly
/// (the golden corpus test checks them against Hugging Face `tokenizers`).
enum PatternScanner {
    /// The Qwen2/Qwen3 (cl100k-style) split pattern, as it appears in Qwen's tokenizer.json.
    static let qwenPattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The GPT-2 split pattern, used by the ByteLevel pre-tokenizer when `use_regex` is true.
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    /// Length of a contraction (`'s 't 're 've 'm 'll 'd`) starting at `i`, or 0; `caseInsensitive` also accepts
    /// upper case and U+017F LATIN SMALL LETTER LONG S, which Unicode case folding equates with `s`.
    @inline(__always)
    static func contractionLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int, caseInsensitive: Bool) -> Int {
        guard b[i] == 0x27, i + 1 < end else { return 0 }
        var c1 = b[i + 1]
        if caseInsensitive {
            if c1 == 0xC5, i + 2 < end, b[i + 2] == 0xBF { return 3 }  // 'ſ
            if c1 >= 0x41 && c1 <= 0x5A { c1 |= 0x20 }
        }
        switch c1 {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        case 0x72, 0x76, 0x6C:  // r v l
            guard i + 2 < end else { return 0 }
            var c2 = b[i + 2]
            if caseInsensitive, c2 >= 0x41 && c2 <= 0x5A { c2 |= 0x20 }
            let want: UInt8 = c1 == 0x6C ? 0x6C : 0x65
            return c2 == want ? 3 : 0
        default: return 0
        }
    }

    /// Appends the end offset of every Qwen-pattern piece of `b[start..<end]` to `ends`.
    static func scanQwen(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into ends: inout [Int]) {
        let t = ScalarClassTable.shared
        var i = start
        while i < end {
            let contraction = contractionLength(b, i, end, caseInsensitive: true)
            if contraction > 0 {
                i += contraction
                ends.append(i)
                continue
            }
            let (c0, l0) = decodeScalar(b, at: i)
            let k0 = t.of(c0)
            // [^\r\n\p{L}\p{N}]?\p{L}+
            var letterStart = -1
            if k0 == .letter {
                letterStart = i
            } else if k0 != .newline && k0 != .number && i + l0 < end {
                if t.of(decodeScalar(b, at: i + l0).value) == .letter { letterStart = i + l0 }
            }
            if letterStart >= 0 {
                i = skip(t, b, from: letterStart, to: end, while: .letter)
                ends.append(i)
                continue
            }
            // \p{N}
            if k0 == .number {
                i += l0
                ends.append(i)
                continue
            }
            // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
            var otherStart = -1
            if k0 == .other {
                otherStart = i
            } else if c0 == 0x20, i + 1 < end, t.of(decodeScalar(b, at: i + 1).value) == .other {
                otherStart = i + 1
            }
            if otherStart >= 0 {
                i = skip(t, b, from: otherStart, to: end, while: .other)
                while i < end && (b[i] == 0x0A || b[i] == 0x0D) { i += 1 }
                ends.append(i)
                continue
            }
            // A run of white space: \s*[\r\n]+ | \s+(?!\S) | \s+
            var j = i
            var afterLastNewline = -1
            var lastScalarStart = i
            var scalars = 0
            while j < end {
                let (c, l) = decodeScalar(b, at: j)
                let k = t.of(c)
                guard k == .whitespace || k == .newline else { break }
                lastScalarStart = j
                j += l
                scalars += 1
                if k == .newline { afterLastNewline = j }
            }
            if afterLastNewline >= 0 {
                i = afterLastNewline
            } else if j == end || scalars == 1 {
                i = j
            } else {
                i = lastScalarStart
            }
            ends.append(i)
        }
    }

    /// Appends the end offset of every GPT-2-pattern piece of `b[start..<end]` to `ends`.
    static func scanGPT2(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into ends: inout [Int]) {
        let t = ScalarClassTable.shared
        var i = start
        while i < end {
            let contraction = contractionLength(b, i, end, caseInsensitive: false)
            if contraction > 0 {
                i += contraction
                ends.append(i)
                continue
            }
            let c0 = decodeScalar(b, at: i).value
            var k0 = t.of(c0)
            if k0 == .newline { k0 = .whitespace }
            var bodyStart = i
            var bodyClass = k0
            if c0 == 0x20, i + 1 < end {
                var k1 = t.of(decodeScalar(b, at: i + 1).value)
                if k1 == .newline { k1 = .whitespace }
                if k1 != .whitespace {
                    bodyStart = i + 1
                    bodyClass = k1
                }
            }
            if bodyClass != .whitespace {
                i = skip(t, b, from: bodyStart, to: end, while: bodyClass)
                ends.append(i)
                continue
            }
            // \s+(?!\S) | \s+
            var j = i
            var lastScalarStart = i
            var scalars = 0
            while j < end {
                let (c, l) = decodeScalar(b, at: j)
                let k = t.of(c)
                guard k == .whitespace || k == .newline else { break }
                lastScalarStart = j
                j += l
                scalars += 1
            }
            i = (j == end || scalars == 1) ? j : lastScalarStart
            ends.append(i)
        }
    }

    /// The offset of the first scalar at or after `i` whose class is not `cls`.
    @inline(__always)
    private static func skip(_ t: ScalarClassTable, _ b: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int,
                             while cls: ScalarClass) -> Int {
        var j = i
        while j < end {
            let (c, l) = decodeScalar(b, at: j)
            if t.of(c) != cls { break }
            j += l
        }
        return j
    }
}
