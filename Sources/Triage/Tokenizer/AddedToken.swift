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
            if token.lstrip { while lower > floor, isSpace(b[lower - 1]) { lower -= 1 } }
            if token.rstrip { while upper < end, isSpace(b[upper]) { upper += 1 } }
            found.append(Match(range: lower..<upper, id: UInt32(token.id)))
            i = upper
            floor = upper
        }
        return found
    }

    private func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private func isWordByte(_ b: UnsafeBufferPointer<UInt8>, before i: Int, floor: Int) -> Bool {
        guard i > floor else { return false }
        var k = i - 1
        while k > floor && (b[k] & 0xC0) == 0x80 { k -= 1 }
        return ScalarClass.of(decodeScalar(b, at: k).value).isWordLike
    }

    private func isWordByte(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Bool {
        guard i < end else { return false }
        return ScalarClass.of(decodeScalar(b, at: i).value).isWordLike
    }
}

extension ScalarClass {
    /// Letters and numbers: what `single_word` added tokens may not touch.
    var isWordLike: Bool { self == .letter || self == .number }
}
