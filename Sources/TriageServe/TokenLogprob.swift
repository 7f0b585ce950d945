import Foundation
import TriageData

/// One generated token's log-probability and its most likely alternatives: an entry of OpenAI's
/// `choices[i].logprobs.content`.
///
/// The values are the model's own distribution (log-softmax of the raw logits, before logit bias, penalties,
/// temperature or top-p), as vLLM reports them by default, so they do not depend on how the token was picked.
public struct TokenLogprob: Sendable, Equatable {
    /// The token's text (a token holding part of a UTF-8 character reads as U+FFFD; `bytes` has the exact bytes).
    public var token: String
    /// Natural log of the token's probability.
    public var logprob: Double
    /// The token's bytes (UTF-8 of `token` when whole).
    public var bytes: [UInt8]
    /// The most likely tokens at this position, most likely first (ties by id); empty when none were asked for.
    public var top: [TokenLogprob]

    /// An entry.
    public init(token: String, logprob: Double, bytes: [UInt8], top: [TokenLogprob] = []) {
        self.token = token
        self.logprob = logprob
        self.bytes = bytes
        self.top = top
    }

    /// The entry of `chosen` in `logits` (the ids `tokenizer` can decode take part; the rest are padding rows),
    /// with the `topCount` most likely ids as alternatives.
    static func entry(chosen: Int, logits: [Float], topCount: Int, tokenizer: Tokenizer) -> TokenLogprob {
        let row = logits.prefix(tokenizer.vocabularySize)
        let maximum = Double(row.max() ?? 0)
        let logTotal = maximum + log(row.reduce(0.0) { $0 + exp(Double($1) - maximum) })
        func alternative(_ id: Int) -> TokenLogprob {
            let bytes = tokenizer.bytes(of: id)
            return TokenLogprob(token: String(decoding: bytes, as: UTF8.self), logprob: Double(logits[id]) - logTotal, bytes: bytes)
        }
        var entry = alternative(chosen)
        if topCount > 0 {
            let order = row.indices.sorted { row[$0] != row[$1] ? row[$0] > row[$1] : $0 < $1 }
            entry.top = order.prefix(topCount).map(alternative)
        }
        return entry
    }
}

extension Tokenizer {
    /// The bytes one token id stands for, as `decode` rebuilds them (an added token's content as UTF-8).
    func bytes(of id: Int) -> [UInt8] {
        guard let token = token(for: id) else { return [] }
        return ByteLevelAlphabet.decodeLeniently(token)
    }
}
