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
    /// Sampling temperature; 0 (the default, as the model's generation_config) is greedy decoding.
    public var temperature: Double
    /// Nucleus sampling mass in (0, 1].
    public var topP: Double
    /// Seed of the sampler, so a sampled completion can be reproduced.
    public var seed: UInt64?
    /// Strings that end the completion (not included in it); at most 4, as OpenAI.
    public var stop: [String]
    /// Whether to answer as server-sent events ending `data: [DONE]`.
    public var stream: Bool
    /// With `stream`, whether a last chunk carries `usage` (`stream_options.include_usage`).
    public var includeUsage: Bool
    /// How many choices to generate for the prompt (OpenAI's `n`, 1 by default).
    public var n: Int
    /// Subtracted from a token's logit once it has appeared in the completion (OpenAI's `presence_penalty`, −2…2).
    public var presencePenalty: Double
    /// Subtracted from a token's logit per appearance in the completion (OpenAI's `frequency_penalty`, −2…2).
    public var frequencyPenalty: Double
    /// Added to the logits of these token ids before sampling (OpenAI's `logit_bias`, −100…100 each).
    public var logitBias: [Int: Double]
    /// Whether each choice carries its tokens' log-probabilities (OpenAI's `logprobs`).
    public var logprobs: Bool
    /// How many most likely alternatives each token's entry lists (OpenAI's `top_logprobs`, 0…20; needs `logprobs`).
    public var topLogprobs: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, temperature, seed, stop, stream, n, user, logprobs
        case maxTokens = "max_tokens", maxCompletionTokens = "max_completion_tokens", topP = "top_p"
        case streamOptions = "stream_options", presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case logitBias = "logit_bias", tools, toolChoice = "tool_choice", functions, functionCall = "function_call"
        case parallelToolCalls = "parallel_tool_calls", responseFormat = "response_format", store, metadata
        case serviceTier = "service_tier", topLogprobs = "top_logprobs", modalities
        case promptCacheKey = "prompt_cache_key", safetyIdentifier = "safety_identifier"
    }

    enum StreamOptionKeys: String, CodingKey, CaseIterable { case includeUsage = "include_usage" }

    /// Decodes strictly and checks ranges; each failure is a 400 naming the field.
    public init(from decoder: any Decoder) throws {
        try RequestDecoding.rejectUnknownFields(decoder, CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        messages = try c.decode([Message].self, forKey: .messages)
        guard !messages.isEmpty else { throw APIError.invalid("messages", "`messages` is empty", code: "empty_messages") }
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
            ?? c.decodeIfPresent(Int.self, forKey: .maxCompletionTokens)
        if let maxTokens, maxTokens < 1 { throw APIError.invalid("max_tokens", "`max_tokens` must be at least 1") }
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? 0
        guard (0...2).contains(temperature) else {
            throw APIError.invalid("temperature", "`temperature` must be between 0 and 2")
        }
        topP = try c.decodeIfPresent(Double.self, forKey: .topP) ?? 1
        guard topP > 0 && topP <= 1 else { throw APIError.invalid("top_p", "`top_p` must be in (0, 1]") }
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
        if let single = try? c.decodeIfPresent(String.self, forKey: .stop) {
            stop = [single]
        } else {
            stop = try c.decodeIfPresent([String].self, forKey: .stop) ?? []
        }
        guard stop.count <= 4, stop.allSatisfy({ !$0.isEmpty }) else {
            throw APIError.invalid("stop", "`stop` takes at most 4 non-empty strings")
        }
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        includeUsage = false
        if c.contains(.streamOptions), try !c.decodeNil(forKey: .streamOptions) {
            let options = try c.superDecoder(forKey: .streamOptions)
            try RequestDecoding.rejectUnknownFields(options, StreamOptionKeys.self)
            includeUsage = try options.container(keyedBy: StreamOptionKeys.self)
                .decodeIfPresent(Bool.self, forKey: .includeUsage) ?? false
        }
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? 1
        guard (1...Self.maxChoices).contains(n) else {
            throw APIError.invalid("n", "`n` must be between 1 and \(Self.maxChoices), got \(n)")
        }
        presencePenalty = try Self.penalty(c, .presencePenalty)
        frequencyPenalty = try Self.penalty(c, .frequencyPenalty)
        logitBias = try Self.logitBias(c)
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

    /// The most choices one request may ask for: each is a sequence in the decoding batch.
    static let maxChoices = 16
    /// OpenAI's limit on `top_logprobs`.
    static let maxTopLogprobs = 20

    /// A penalty field, −2…2 as OpenAI bounds it (0 when absent or null).
    private static func penalty(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Double {
        let value = try c.decodeIfPresent(Double.self, forKey: key) ?? 0
        guard (-2...2).contains(value) else {
            throw APIError.invalid(key.stringValue, "`\(key.stringValue)` must be between -2 and 2, got \(value)")
        }
        return value
    }

    /// `logit_bias`: token ids (as JSON object keys) to biases in −100…100; the ids are checked against the
    /// vocabulary when the request is served.
    private static func logitBias(_ c: KeyedDecodingContainer<CodingKeys>) throws -> [Int: Double] {
        var bias: [Int: Double] = [:]
        for (key, value) in try c.decodeIfPresent([String: Double].self, forKey: .logitBias) ?? [:] {
            guard let id = Int(key), id >= 0 else {
                throw APIError.invalid("logit_bias.\(key)", "`logit_bias` keys are token ids, got \"\(key)\"")
            }
            guard (-100...100).contains(value) else {
                throw APIError.invalid("logit_bias.\(key)", "a logit bias must be between -100 and 100, got \(value)")
            }
            bias[id] = value
        }
        return bias
    }
}
