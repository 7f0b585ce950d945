import PipeBasics

/// The body of `POST /v1/completions`, OpenAI's (legacy) Completions API as vLLM serves it: raw prompts, no chat
/// template. `prompt` is a string, a list of strings, a list of token ids or a list of such lists; the sampling
/// fields are those of chat completions (`SamplingOptions`); `logprobs` is the legacy integer (alternatives per
/// token); `echo` puts the prompt before the completion. Unknown fields, `suffix`, a `best_of` other than `n`, and
/// `echo` with `logprobs` (prompt log-probabilities are not computed) are a 400 naming the field.
public struct CompletionRequest: Decodable, Sendable, Equatable {
    /// One prompt: text to tokenize, or token ids as given.
    public enum Prompt: Sendable, Equatable {
        case text(String)
        case tokens([Int])
    }

    /// The model asked for; must be the served model's name when given.
    public var model: String?
    /// The prompts, each completed `sampling.n` times (choice index = prompt index × n + choice).
    public var prompts: [Prompt]
    /// The most tokens to generate per choice; 16 when absent, as OpenAI's Completions API.
    public var maxTokens: Int
    /// Temperature, top-p, seed, stops, `n`, penalties, logit bias and streaming (shared with chat completions).
    public var sampling: SamplingOptions
    /// Alternatives listed per token (legacy `logprobs`, 0…20); nil: no log-probabilities.
    public var logprobs: Int?
    /// Whether each choice's text starts with its prompt.
    public var echo: Bool

    /// OpenAI's default `max_tokens` for completions.
    static let defaultMaxTokens = 16
    /// The most prompts one request may hold.
    static let maxPrompts = 16

    /// This request's own fields; the sampling ones are `SamplingOptions.CodingKeys`.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, prompt, echo, logprobs, suffix, user
        case maxTokens = "max_tokens", bestOf = "best_of"
    }

    /// Decodes strictly and checks ranges; each failure is a 400 naming the field.
    public init(from decoder: any Decoder) throws {
        try RequestDecoding.rejectUnknownFields(decoder, CodingKeys.self, SamplingOptions.CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        prompts = try Self.prompts(c)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens) ?? Self.defaultMaxTokens
        guard maxTokens >= 1 else { throw APIError.invalid("max_tokens", "`max_tokens` must be at least 1") }
        sampling = try SamplingOptions(from: decoder)
        logprobs = try c.decodeIfPresent(Int.self, forKey: .logprobs)
        if let logprobs, !(0...ChatCompletionRequest.maxTopLogprobs).contains(logprobs) {
            throw APIError.invalid("logprobs", "`logprobs` must be between 0 and \(ChatCompletionRequest.maxTopLogprobs), got \(logprobs)")
        }
        echo = try c.decodeIfPresent(Bool.self, forKey: .echo) ?? false
        if echo && logprobs != nil {
            throw APIError.invalid("echo", "`echo` with `logprobs` is not supported (no prompt log-probabilities)",
                                   code: "unsupported_value")
        }
        if let suffix = try c.decodeIfPresent(String.self, forKey: .suffix), !suffix.isEmpty {
            throw APIError.invalid("suffix", "`suffix` is not supported (this model has no fill-in-the-middle)",
                                   code: "unsupported_value")
        }
        if let bestOf = try c.decodeIfPresent(Int.self, forKey: .bestOf), bestOf != sampling.n {
            throw APIError.invalid("best_of", "`best_of` must equal `n` (\(sampling.n)): choices are not ranked here",
                                   code: "unsupported_value")
        }
        _ = try c.decodeIfPresent(String.self, forKey: .user)
    }

    /// `prompt` in any of its four forms, non-empty.
    private static func prompts(_ c: KeyedDecodingContainer<CodingKeys>) throws -> [Prompt] {
        let prompts: [Prompt]
        if let text = try? c.decode(String.self, forKey: .prompt) {
            prompts = [.text(text)]
        } else if let texts = try? c.decode([String].self, forKey: .prompt) {
            prompts = texts.map(Prompt.text)
        } else if let ids = try? c.decode([Int].self, forKey: .prompt), !ids.isEmpty {
            prompts = [.tokens(ids)]
        } else if let lists = try? c.decode([[Int]].self, forKey: .prompt) {
            prompts = lists.map(Prompt.tokens)
        } else {
            guard c.contains(.prompt) else { throw APIError.invalid("prompt", "`prompt` is required", code: "missing_field") }
            throw APIError.invalid("prompt", "`prompt` must be a string, a list of strings, a list of token ids or a "
                                       + "list of such lists", code: "invalid_type")
        }
        guard !prompts.isEmpty else { throw APIError.invalid("prompt", "`prompt` is empty", code: "invalid_value") }
        guard prompts.count <= maxPrompts else {
            throw APIError.invalid("prompt", "`prompt` holds \(prompts.count) prompts; at most \(maxPrompts)")
        }
        for (index, prompt) in prompts.enumerated() where prompt == .text("") || prompt == .tokens([]) {
            throw APIError.invalid(prompts.count == 1 ? "prompt" : "prompt[\(index)]", "the prompt is empty",
                                   code: "invalid_value")
        }
        return prompts
    }
}
