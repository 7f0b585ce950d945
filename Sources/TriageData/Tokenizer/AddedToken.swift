/// A token matched in the text before pre-tokenization, like `<|im_start|>`: an entry of `added_tokens` in a
/// `tokenizer.json`.
public struct AddedToken: Sendable, Equatable, Codable {
    /// The token's id.
    public var id: Int
    /// The literal text that stands for the token.
    public var content: String
    /// Whether the token only matches when not part of a longer word.
    public var singleWord: Bool
    /// Whether the white space on its left belongs to the match.
    public var lstrip: Bool
    /// Whether the white space on its right belongs to the match.
    public var rstrip: Bool
    /// Whether the token is matched in the normalized text (true) or the raw text (false).
    public var normalized: Bool
    /// Whether decode drops it when asked to skip special tokens.
    public var special: Bool

    /// An added token; the defaults are those of a special token such as `<|endoftext|>`.
    public init(id: Int, content: String, special: Bool = true, normalized: Bool = false,
                singleWord: Bool = false, lstrip: Bool = false, rstrip: Bool = false) {
        self.id = id
        self.content = content
        self.special = special
        self.normalized = normalized
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
    }

    enum CodingKeys: String, CodingKey {
        case id, content, lstrip, rstrip, normalized, special
        case singleWord = "single_word"
    }

    /// Decodes an `added_tokens` entry; missing flags take HF's defaults (`normalized` is the opposite of `special`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        content = try c.decode(String.self, forKey: .content)
        singleWord = try c.decodeIfPresent(Bool.self, forKey: .singleWord) ?? false
        lstrip = try c.decodeIfPresent(Bool.self, forKey: .lstrip) ?? false
        rstrip = try c.decodeIfPresent(Bool.self, forKey: .rstrip) ?? false
        special = try c.decodeIfPresent(Bool.self, forKey: .special) ?? false
        normalized = try c.decodeIfPresent(Bool.self, forKey: .normalized) ?? !special
    }
}

/// Finds added tokens in UTF-8 text, leftmost-longest like the Aho-Corasick matcher of Hugging Face `tokenizers`.
///
/// A byte trie walked from each position whose first byte can start a token: O(text × longest token) worst case,
/// and in practice one table test per byte.
struct AddedTokenMatcher: Sendable {
    /// One match: the byte range it covers (after lstrip/rstrip) and the token id.
    struct Match {
        var range: Range<Int>
        var id: UInt32
    }

    private var children: [[UInt8: Int32]] = [[:]]
    private var terminal: [Int32] = [-1]  // index into tokens, or -1
    private var startsToken = [Bool](repeating: false, count: 256)
    private let tokens: [AddedToken]

    /// A matcher for `tokens` (those with an empty content are ignored).
    init(_ tokens: [AddedToken]) {
        self.tokens = tokens
        for (index, token) in tokens.enumerated() where !token.content.isEmpty {
            var node = 0
            for b in token.content.utf8 {
                if let child = children[node][b] {
                    node = Int(child)
                } else {
                    children.append([:])
                    terminal.append(-1)
                    children[node][b] = Int32(children.count - 1)
                    node = children.count - 1
                }
            }
            if terminal[node] < 0 { terminal[node] = Int32(index) }
            startsToken[Int(token.content.utf8.first!)] = true
        }
    }

    /// Whether there is nothing to match.
    var isEmpty: Bool { tokens.isEmpty }

    /// The non-overlapping matches in `b[start..<end]`, in order.
    func matches(in b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> [Match] {
        var found: [Match] = []
        var i = start
        var floor = start  // lstrip may not reach back into an earlier match
        while i < end {
            guard startsToken[Int(b[i])] else { i += 1; continue }
            var node = 0
            var best = -1, bestEnd = i
            var j = i
            while j < end, let child = children[node][b[j]] {
                node = Int(child)
                j += 1
                if terminal[node] >= 0 { best = Int(terminal[node]); bestEnd = j }
            }
            guard best >= 0 else { i += 1; continue }
            let token = tokens[best]
            if token.singleWord && (isWordByte(b, before: i, floor: start) || isWordByte(b, at: bestEnd, end: end)) {
                i += 1
                continue
            }
            var lower = i, upper = bestEnd
            if token.lstrip {
                while lower > floor {
                    let previous = scalarStart(b, before: lower, floor: floor)
                    guard isSpace(decodeScalar(b, at: previous).value) else { break }
                    lower = previous
                }
            }
            if token.rstrip {
                while upper < end {
                    let (value, length) = decodeScalar(b, at: upper)
                    guard isSpace(value) else { break }
                    upper += length
                }
            }
            found.append(Match(range: lower..<upper, id: UInt32(token.id)))
            i = upper
            floor = upper
        }
        return found
    }

    /// White space as Rust's `char::is_whitespace` (the Unicode White_Space property), which lstrip/rstrip absorb.
    private func isSpace(_ value: UInt32) -> Bool {
        let k = ScalarClass.of(value)
        return k == .whitespace || k == .newline
    }

    /// The start of the scalar ending at `i`.
    private func scalarStart(_ b: UnsafeBufferPointer<UInt8>, before i: Int, floor: Int) -> Int {
        var k = i - 1
        while k > floor && (b[k] & 0xC0) == 0x80 { k -= 1 }
        return k
    }

    /// A word character as HF's `single_word` check sees one: alphanumeric (Unicode Alphabetic or a number) or `_`.
    private func isWordScalar(_ value: UInt32) -> Bool {
        if value == 0x5F { return true }
        guard let scalar = Unicode.Scalar(value) else { return false }
        if scalar.properties.isAlphabetic { return true }
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    private func isWordByte(_ b: UnsafeBufferPointer<UInt8>, before i: Int, floor: Int) -> Bool {
        guard i > floor else { return false }
        return isWordScalar(decodeScalar(b, at: scalarStart(b, before: i, floor: floor)).value)
    }

    private func isWordByte(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        guard i < end else { return false }
        return isWordScalar(decodeScalar(b, at: i).value)
    }
}
