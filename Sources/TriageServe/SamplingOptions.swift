import PipeBasics

/// The sampling fields OpenAI's Chat Completions and (legacy) Completions requests share: temperature, top-p,
/// seed, stop strings, `n` choices, presence and frequency penalties, logit bias, streaming and its usage chunk —
/// and vLLM's extra sampling parameters, which its clients send in `extra_body`: `top_k`, `min_p`,
/// `repetition_penalty`, `min_tokens`, `ignore_eos`.
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
    /// vLLM's `top_k`: only the k most likely tokens are sampled from; 0 or −1 (the default) keeps them all.
    public var topK = 0
    /// vLLM's `min_p`: tokens less likely than this share of the most likely one are dropped; 0 (default) is off.
    public var minP: Double = 0
    /// vLLM's (and transformers') `repetition_penalty`: a token already in the prompt or the completion has a
    /// positive logit divided by it and a negative one multiplied by it; 1 (default) is off.
    public var repetitionPenalty: Double = 1
    /// vLLM's `min_tokens`: the end-of-turn tokens cannot be picked before this many tokens were generated.
    public var minTokens = 0
    /// vLLM's `ignore_eos`: an end-of-turn token does not end the completion (it runs to `max_tokens`).
    public var ignoreEOS = false
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
        case topK = "top_k", minP = "min_p", repetitionPenalty = "repetition_penalty", minTokens = "min_tokens"
        case ignoreEOS = "ignore_eos"
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
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? 0
        guard topK >= -1 else { throw APIError.invalid("top_k", "`top_k` must be -1, 0 (all tokens) or positive, got \(topK)") }
        minP = try c.decodeIfPresent(Double.self, forKey: .minP) ?? 0
        guard (0...1).contains(minP) else { throw APIError.invalid("min_p", "`min_p` must be between 0 and 1, got \(minP)") }
        repetitionPenalty = try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty) ?? 1
        guard repetitionPenalty > 0 && repetitionPenalty <= 2 else {
            throw APIError.invalid("repetition_penalty", "`repetition_penalty` must be in (0, 2], got \(repetitionPenalty)")
        }
        minTokens = try c.decodeIfPresent(Int.self, forKey: .minTokens) ?? 0
        guard minTokens >= 0 else { throw APIError.invalid("min_tokens", "`min_tokens` may not be negative") }
        ignoreEOS = try c.decodeIfPresent(Bool.self, forKey: .ignoreEOS) ?? false
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        if c.contains(.streamOptions), try !c.decodeNil(forKey: .streamOptions) {
            let options = try c.superDecoder(forKey: .streamOptions)
            try RequestDecoding.rejectUnknownFields(options, StreamOptionKeys.self)
            includeUsage = try options.container(keyedBy: StreamOptionKeys.self)
                .decodeIfPresent(Bool.self, forKey: .includeUsage) ?? false
        }
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
