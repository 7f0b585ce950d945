import PipeBasics

/// The sampling fields OpenAI's Chat Completions and (legacy) Completions requests share: temperature, top-p,
/// seed, stop strings, `n` choices, presence and frequency penalties, logit bias, streaming and its usage chunk.
///
/// Why a type of its own: both routes decode, range-check and apply these the same way, so they are read once
/// from the request's decoder (the request type itself lists them among its known fields).
public struct SamplingOptions: Sendable, Equatable {
    /// Sampling temperature; 0 (the default, as the model's generation_config) is greedy decoding.
    public var temperature: Double = 0
    /// Nucleus sampling mass in (0, 1].
    public var topP: Double = 1
    /// Seed of the sampler, so a sampled completion can be reproduced.
    public var seed: UInt64?
    /// Strings that end the completion (not included in it); at most 4, as OpenAI.
    public var stop: [String] = []
    /// How many choices to generate for the prompt (OpenAI's `n`, 1 by default).
    public var n = 1
    /// Subtracted from a token's logit once it has appeared in the completion (OpenAI's `presence_penalty`, −2…2).
    public var presencePenalty: Double = 0
    /// Subtracted from a token's logit per appearance in the completion (OpenAI's `frequency_penalty`, −2…2).
    public var frequencyPenalty: Double = 0
    /// Added to the logits of these token ids before sampling (OpenAI's `logit_bias`, −100…100 each).
    public var logitBias: [Int: Double] = [:]
    /// Whether to answer as server-sent events ending `data: [DONE]`.
    public var stream = false
    /// With `stream`, whether a last chunk carries `usage` (`stream_options.include_usage`).
    public var includeUsage = false

    /// The most choices one request may ask for: each is a sequence in the decoding batch.
    static let maxChoices = 16

    enum CodingKeys: String, CodingKey, CaseIterable {
        case temperature, seed, stop, n, stream
        case topP = "top_p", presencePenalty = "presence_penalty", frequencyPenalty = "frequency_penalty"
        case logitBias = "logit_bias", streamOptions = "stream_options"
    }

    enum StreamOptionKeys: String, CodingKey, CaseIterable { case includeUsage = "include_usage" }

    /// The defaults: greedy, one choice, nothing adjusted.
    public init() {}

    /// Reads the shared fields of the request object `decoder` holds; each out-of-range value is a 400 naming it.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
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
        n = try c.decodeIfPresent(Int.self, forKey: .n) ?? 1
        guard (1...Self.maxChoices).contains(n) else {
            throw APIError.invalid("n", "`n` must be between 1 and \(Self.maxChoices), got \(n)")
        }
        presencePenalty = try Self.penalty(c, .presencePenalty)
        frequencyPenalty = try Self.penalty(c, .frequencyPenalty)
        logitBias = try Self.logitBias(c)
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        if c.contains(.streamOptions), try !c.decodeNil(forKey: .streamOptions) {
            let options = try c.superDecoder(forKey: .streamOptions)
            try RequestDecoding.rejectUnknownFields(options, StreamOptionKeys.self)
            includeUsage = try options.container(keyedBy: StreamOptionKeys.self)
                .decodeIfPresent(Bool.self, forKey: .includeUsage) ?? false
        }
    }

    /// How to decode one completion of at most `maxTokens` tokens with these options; `topLogprobs` non-nil
    /// reports each token's log-probability with that many alternatives.
    func parameters(maxTokens: Int, topLogprobs: Int?) -> GenerationParameters {
        GenerationParameters(maxTokens: maxTokens, temperature: temperature, topP: topP, seed: seed, stop: stop,
                             presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty, logitBias: logitBias,
                             topLogprobs: topLogprobs)
    }

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
