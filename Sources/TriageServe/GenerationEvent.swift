/// What a chat completion produces as it is decoded: pieces of text, then one end.
public enum GenerationEvent: Sendable, Equatable {
    /// More completion text (possibly empty when a token's text is held back), with the log-probabilities of the
    /// tokens sampled since the last piece when they were asked for.
    case text(String, logprobs: [TokenLogprob])
    /// The completion ended: why, and the token counts of its `usage`.
    case finished(FinishReason, promptTokens: Int, completionTokens: Int)
}

/// Why a completion ended, as OpenAI's `finish_reason` names it.
public enum FinishReason: String, Sendable, Equatable {
    /// An end-of-turn token or a stop string.
    case stop
    /// `max_tokens` was reached.
    case length
}

/// How one chat completion is decoded.
public struct GenerationParameters: Sendable, Equatable {
    /// The most tokens to generate.
    public var maxTokens: Int
    /// 0: greedy; else the sampling temperature.
    public var temperature: Double
    /// Nucleus mass.
    public var topP: Double
    /// Sampler seed (nil: a random one).
    public var seed: UInt64?
    /// Stop strings.
    public var stop: [String]
    /// OpenAI's `presence_penalty`: subtracted once from the logit of every token already in the completion.
    public var presencePenalty: Double
    /// OpenAI's `frequency_penalty`: subtracted from a token's logit once per time it is already in the completion.
    public var frequencyPenalty: Double
    /// OpenAI's `logit_bias`: added to these token ids' logits before every choice.
    public var logitBias: [Int: Double]
    /// Log-probabilities reported per generated token: nil for none, else how many alternatives each lists.
    public var topLogprobs: Int?

    /// Parameters for one completion.
    public init(maxTokens: Int, temperature: Double = 0, topP: Double = 1, seed: UInt64? = nil, stop: [String] = [],
                presencePenalty: Double = 0, frequencyPenalty: Double = 0, logitBias: [Int: Double] = [:],
                topLogprobs: Int? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
        self.stop = stop
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.logitBias = logitBias
        self.topLogprobs = topLogprobs
    }
}
