/// One sequence of a packed (ragged) batch: the tokens it feeds this step, the cache holding its earlier positions,
/// and which of its rows need logits.
///
/// Why: continuous batching and batched scoring mix sequences of different lengths and positions (a prompt being
/// prefilled beside others decoding one token); packing their tokens into one matrix lets every projection run as
/// one matrix product, while attention still reads each sequence's own keys only.
public struct Qwen3PackedSequence {
    /// The new tokens, at positions `cache.length ..< cache.length + tokens.count`.
    public var tokens: [Int]
    /// The sequence's own cache (never shared with another sequence of the same batch); appended to by the pass.
    public var cache: Qwen3KVCache
    /// Indices into `tokens` whose next-token logits are wanted (the last one for decoding).
    public var logitRows: [Int]

    /// A sequence feeding `tokens` after what `cache` holds; by default only the last row's logits are computed.
    public init(tokens: [Int], cache: Qwen3KVCache, logitRows: [Int]? = nil) {
        precondition(!tokens.isEmpty, "a packed sequence feeds at least one token")
        self.tokens = tokens
        self.cache = cache
        self.logitRows = logitRows ?? [tokens.count - 1]
        precondition(self.logitRows.allSatisfy { tokens.indices.contains($0) }, "logit rows must index the tokens")
    }
}
