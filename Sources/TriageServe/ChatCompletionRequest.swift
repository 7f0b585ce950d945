import PipeBasics

/// The body of `POST /v1/chat/completions`, as OpenAI's Chat Completions API defines it: sampling, stops, `n`
/// choices, presence and frequency penalties, logit bias and log-probabilities; no tools. Fields OpenAI clients
/// send with neutral values (`tools: []`, `user`) are accepted; any other field is a 400 naming it.
public struct ChatCompletionRequest: Decodable, Sendable, Equatable {
    /// One turn of the conversation.
    public struct Message: Decodable, Sendable, Equatable {
        /// `system`, `user` or `assistant` (OpenAI's `developer` is read as `system`, as its docs define it).
        public var role: String
        /// The turn's text (OpenAI's array of text parts arrives here joined by newlines, as vLLM joins them).
        public var content: String

        /// A message.
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case role, content, name }

        /// Decodes strictly; roles other than system, developer, user and assistant (tool turns: this server has no
        /// tools) and content parts other than text are a 400 naming the field.
        public init(from decoder: any Decoder) throws {
            try RequestDecoding.rejectUnknownFields(decoder, CodingKeys.self)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let role = try c.decode(String.self, forKey: .role)
            guard ["system", "developer", "user", "assistant"].contains(role) else {
                let path = CodingKeyPath.render(decoder.codingPath + [CodingKeys.role])
                throw APIError.invalid(path, "`\(path)` must be system, developer, user or assistant, got \"\(role)\"")
            }
            self.role = role == "developer" ? "system" : role
            content = try Self.text(of: c, at: decoder.codingPath + [CodingKeys.content])
            _ = try c.decodeIfPresent(String.self, forKey: .name)
        }

        /// `content` as a string, or the text of its parts joined by newlines.
        private static func text(of c: KeyedDecodingContainer<CodingKeys>, at codingPath: [any CodingKey]) throws -> String {
            let path = CodingKeyPath.render(codingPath)
            do {
                return try c.decode(String.self, forKey: .content)
            } catch DecodingError.typeMismatch {
                let parts: [ContentPart]
                do {
                    parts = try c.decode([ContentPart].self, forKey: .content)
                } catch let error as APIError {
                    throw error  // a part's own error names `content[i].type` or its unknown field
                } catch DecodingError.typeMismatch(_, let context) where context.codingPath.count == codingPath.count {
                    throw APIError.invalid(path, "`\(path)` must be a string or an array of text parts",
                                           code: "invalid_type")
                }
                guard !parts.isEmpty else {
                    throw APIError.invalid(path, "`\(path)` has no text parts", code: "invalid_value")
                }
                return parts.map(\.text).joined(separator: "\n")
            }
        }
    }

    /// One element of an array `content`: only `{"type": "text", "text": …}` (no images or audio here).
    struct ContentPart: Decodable {
        var text: String

        enum CodingKeys: String, CodingKey, CaseIterable { case type, text }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let type = try c.decode(String.self, forKey: .type)
            guard type == "text" else {
                let path = CodingKeyPath.render(decoder.codingPath + [CodingKeys.type])
                throw APIError.invalid(path, "`\(path)` is \"\(type)\"; this model reads text parts only",
                                       code: "unsupported_value")
            }
            try RequestDecoding.rejectUnknownFields(decoder, CodingKeys.self)
            text = try c.decode(String.self, forKey: .text)
        }
    }

    /// The model asked for; must be the served model's name when given.
    public var model: String?
    /// The conversation, oldest first (at least one message).
    public var messages: [Message]
    /// The most tokens to generate (`max_tokens` or `max_completion_tokens`); nil: up to the server's limit.
    public var maxTokens: Int?
    /// Temperature, top-p, seed, stops, `n`, penalties, logit bias and streaming (shared with `/v1/completions`).
    public var sampling: SamplingOptions
    /// Whether each choice carries its tokens' log-probabilities (OpenAI's `logprobs`).
    public var logprobs: Bool
    /// How many most likely alternatives each token's entry lists (OpenAI's `top_logprobs`, 0…20; needs `logprobs`).
    public var topLogprobs: Int

    /// This request's own fields; the sampling ones are `SamplingOptions.CodingKeys`.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, user, logprobs
        case maxTokens = "max_tokens", maxCompletionTokens = "max_completion_tokens"
        case tools, toolChoice = "tool_choice", functions, functionCall = "function_call"
        case parallelToolCalls = "parallel_tool_calls", responseFormat = "response_format", store, metadata
        case serviceTier = "service_tier", topLogprobs = "top_logprobs", modalities
        case promptCacheKey = "prompt_cache_key", safetyIdentifier = "safety_identifier"
    }

    /// Decodes strictly and checks ranges; each failure is a 400 naming the field.
    public init(from decoder: any Decoder) throws {
        try RequestDecoding.rejectUnknownFields(decoder, CodingKeys.self, SamplingOptions.CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        messages = try c.decode([Message].self, forKey: .messages)
        guard !messages.isEmpty else { throw APIError.invalid("messages", "`messages` is empty", code: "empty_messages") }
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
            ?? c.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        if let maxTokens, maxTokens < 1 { throw APIError.invalid("max_tokens", "`max_tokens` must be at least 1") }
        sampling = try SamplingOptions(from: decoder)
        logprobs = try c.decodeIfPresent(Bool.self, forKey: .logprobs) ?? false
        topLogprobs = try c.decodeIfPresent(Int.self, forKey: .topLogprobs) ?? 0
        guard (0...Self.maxTopLogprobs).contains(topLogprobs) else {
            throw APIError.invalid("top_logprobs", "`top_logprobs` must be between 0 and \(Self.maxTopLogprobs), got \(topLogprobs)")
        }
        if topLogprobs > 0 && !logprobs {
            throw APIError.invalid("top_logprobs", "`top_logprobs` needs `logprobs: true`")
        }
        _ = try c.decodeIfPresent(String.self, forKey: .user)
        try Self.checkNeutralOpenAIFields(c)
    }

    /// OpenAI's limit on `top_logprobs`.
    static let maxTopLogprobs = 20
}
