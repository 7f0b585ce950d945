import Foundation

/// Splits normalized text into the pieces BPE encodes independently: a Split by regex (Isolated) followed by the
/// ByteLevel mapping, or a ByteLevel pre-tokenizer with its own GPT-2 regex.
///
/// The Qwen and GPT-2 patterns run on hand-written scanners (`PatternScanner`); any other pattern falls back to
/// `NSRegularExpression` (ICU), which agrees with Oniguruma on the usual `\p{…}`/`\s` patterns but is slower.
public struct PreTokenizer: @unchecked Sendable {
    /// How pieces are found (payload-free so the per-segment dispatch is a plain integer switch).
    enum Splitter {
        case none
        case qwen
        case gpt2
        case regex
    }

    let splitter: Splitter
    /// The compiled pattern when `splitter` is `.regex`.
    let regex: NSRegularExpression?
    /// ByteLevel `add_prefix_space`: a space is prepended to each piece not starting with one (to each segment
    /// before splitting, when the split is the ByteLevel pre-tokenizer's own regex).
    public let addPrefixSpace: Bool
    /// Whether the split is ByteLevel's built-in GPT-2 regex (`use_regex: true`) rather than a Split step.
    public let isByteLevelRegex: Bool
    /// The split pattern, as written in tokenizer.json (nil when there is none).
    public let pattern: String?

    /// The Qwen2/Qwen3 pre-tokenizer, which `BytePairTrainer` also writes into the tokenizers it trains.
    public static let qwen = PreTokenizer(splitter: .qwen, addPrefixSpace: false, pattern: PatternScanner.qwenPattern)

    init(splitter: Splitter, addPrefixSpace: Bool, pattern: String?, isByteLevelRegex: Bool = false,
         regex: NSRegularExpression? = nil) {
        self.splitter = splitter
        self.regex = regex
        self.addPrefixSpace = addPrefixSpace
        self.pattern = pattern
        self.isByteLevelRegex = isByteLevelRegex
    }

    /// The ByteLevel pre-tokenizer with `use_regex: true`: GPT-2's split, prefix space added per segment.
    static func byteLevelWithRegex(addPrefixSpace: Bool) -> PreTokenizer {
        PreTokenizer(splitter: .gpt2, addPrefixSpace: addPrefixSpace, pattern: PatternScanner.gpt2Pattern, isByteLevelRegex: true)
    }

    /// A pre-tokenizer for a split `pattern` (nil: no split); throws `unsupported` when it is not a valid regex.
    static func splitting(on pattern: String?, addPrefixSpace: Bool, path: String, key: String) throws -> PreTokenizer {
        guard let pattern else { return PreTokenizer(splitter: .none, addPrefixSpace: addPrefixSpace, pattern: nil) }
        if pattern == PatternScanner.qwenPattern { return PreTokenizer(splitter: .qwen, addPrefixSpace: addPrefixSpace, pattern: pattern) }
        if pattern == PatternScanner.gpt2Pattern { return PreTokenizer(splitter: .gpt2, addPrefixSpace: addPrefixSpace, pattern: pattern) }
        do {
            return PreTokenizer(splitter: .regex, addPrefixSpace: addPrefixSpace, pattern: pattern,
                                regex: try NSRegularExpression(pattern: pattern))
        } catch {
            throw TokenizerError.unsupported(path: path, key: key, value: pattern)
        }
    }

    /// Appends the end offset of each piece of `b[start..<end]` to `ends` (pieces are contiguous and cover it).
    func split(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into ends: inout [Int]) {
        guard start < end else { return }
        switch splitter {
        case .none: ends.append(end)
        case .qwen: PatternScanner.scanQwen(b, from: start, to: end, into: &ends)
        case .gpt2: PatternScanner.scanGPT2(b, from: start, to: end, into: &ends)
        case .regex: Self.splitWithRegex(regex!, b, from: start, to: end, into: &ends)
        }
    }

    private static func splitWithRegex(_ regex: NSRegularExpression, _ b: UnsafeBufferPointer<UInt8>, from start: Int,
                                       to end: Int, into ends: inout [Int]) {
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
        let utf16 = Array(text.utf16)
        // UTF-16 offset → UTF-8 offset, for mapping match ranges back onto the bytes.
        var utf8Offset = [Int](repeating: 0, count: utf16.count + 1)
        var u8 = 0, u16 = 0
        for scalar in text.unicodeScalars {
            let w16 = scalar.utf16.count, w8 = String(scalar).utf8.count
            for k in 0..<w16 { utf8Offset[u16 + k] = u8 }
            u16 += w16
            u8 += w8
        }
        utf8Offset[utf16.count] = u8
        var last = 0
        for match in regex.matches(in: text, range: NSRange(location: 0, length: utf16.count)) where match.range.length > 0 {
            let lower = utf8Offset[match.range.location], upper = utf8Offset[match.range.location + match.range.length]
            if lower > last { ends.append(start + lower) }
            ends.append(start + upper)
            last = upper
        }
        if last < u8 { ends.append(start + u8) }
    }
}
