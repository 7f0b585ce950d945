/// What a chat completion produces as it is decoded: pieces of text, then one end.
public enum GenerationEvent: Sendable, Equatable {
    /// More completion text (possibly empty when a token's text is held back), with the log-probabilities of the
    /// tokens sampled since the last piece when they were asked for.
    case text(String, logprobs: [TokenLogprob])
    /// The completion ended: why, and how many tokens it generated (its `usage`; the route knows the prompt's).
    case finished(FinishReason, completionTokens: Int)
}

/// Why a completion ended, as OpenAI's `finish_reason` names it.
public enum FinishReason: String, Sendable, Equatable {
    /// An end-of-turn token or a stop string.
    case stop
    /// `max_tokens` was reached.
    case length
}

/// How one completion is decoded: its token budget, its sampling options and whether log-probabilities are kept.
public struct GenerationParameters: Sendable, Equatable {
    /// The most tokens to generate.
    public var maxTokens: Int
    /// Temperature, top-p / top-k / min-p, seed, stops, penalties, logit bias (`n` and streaming are the route's).
    public var sampling: SamplingOptions
    /// Log-probabilities reported per generated token: nil for none, else how many alternatives each lists.
    public var topLogprobs: Int?

    /// Parameters for one completion.
    public init(maxTokens: Int, sampling: SamplingOptions = SamplingOptions(), topLogprobs: Int? = nil) {
        self.maxTokens = maxTokens
        self.sampling = sampling
        self.topLogprobs = topLogprobs
    }
}
