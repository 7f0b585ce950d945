/// A byte-level BPE tokenizer as Hugging Face `tokenizers` runs one: added tokens matched first, then the
/// normalizer, the pre-tokenizer, the BPE model; decoding maps tokens back through the byte-level alphabet.
///
/// Immutable and `Sendable`; `encode` makes a `TokenEncoder` per call, and batch work should hold one
/// `TokenEncoder` so its word cache pays off across texts.
public struct Tokenizer: Sendable {
    /// The BPE vocabulary and merges.
    public let model: BytePairModel
    /// Tokens matched in the text before anything else.
    public let addedTokens: [AddedToken]
    /// Applied to the text between added tokens.
    public let normalizer: TextNormalizer
    /// Splits normalized text into pieces.
    public let preTokenizer: PreTokenizer

    let rawMatcher: AddedTokenMatcher
    let normalizedMatcher: AddedTokenMatcher
    let addedByID: [Int: AddedToken]

    /// A tokenizer from its parts.
    public init(model: BytePairModel, addedTokens: [AddedToken], normalizer: TextNormalizer, preTokenizer: PreTokenizer) {
        self.model = model
        self.addedTokens = addedTokens
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        rawMatcher = AddedTokenMatcher(addedTokens.filter { !$0.normalized })
        normalizedMatcher = AddedTokenMatcher(addedTokens.filter { $0.normalized })
        addedByID = Dictionary(addedTokens.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The number of ids: the model's vocabulary and the added tokens beyond it.
    public var vocabularySize: Int { max(model.vocabularySize, (addedTokens.map(\.id).max() ?? -1) + 1) }

    /// The ids of `text` (a one-off encoder with a small cache; hold a `TokenEncoder` for many texts).
    public func encode(_ text: String) -> [Int] {
        let encoder = TokenEncoder(self, cacheEntries: 256)
        return encoder.encode(text).map(Int.init)
    }

    /// The id of a token string (an added token's content or a vocabulary entry in the byte-level alphabet).
    public func id(of token: String) -> Int? {
        if let added = addedTokens.first(where: { $0.content == token }) { return added.id }
        return model.ids[token].map(Int.init)
    }

    /// The token string of an id, as `tokenizer.json` spells it.
    public func token(for id: Int) -> String? {
        if let added = addedByID[id] { return added.content }
        guard id >= 0, id < model.tokens.count else { return nil }
        return model.tokens[id]
    }

    /// The text `ids` stand for, as the ByteLevel decoder rebuilds it (invalid UTF-8 becomes U+FFFD);
    /// `skipSpecialTokens` drops special added tokens. Throws `unknownID` for an id outside the vocabulary.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if let added = addedByID[id] {
                if !(skipSpecialTokens && added.special) { bytes.append(contentsOf: ByteLevelAlphabet.decodeLeniently(added.content)) }
                continue
            }
            guard id >= 0, id < model.tokens.count, let token = model.tokens[id] else { throw TokenizerError.unknownID(id) }
            bytes.append(contentsOf: ByteLevelAlphabet.decodeLeniently(token))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
