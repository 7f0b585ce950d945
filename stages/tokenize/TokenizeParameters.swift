import StageKit

/// The `tokenize` section of params.yaml; every field has a default so the stage also runs by hand.
struct TokenizeParameters: StageParameters {
    static let section = "tokenize"

    /// The anonymized records to encode (JSON Lines, design §7).
    var input = "data/anonymized/records.jsonl"
    /// The output directory: tokenizer.json, shards, records.jsonl, index.json.
    var output = "data/tokenized"
    /// The metrics file.
    var metrics = "reports/tokenize.json"
    /// An existing tokenizer.json to use instead of training one (e.g. Qwen3's); null trains.
    var tokenizer: String?
    /// Vocabulary size of the trained tokenizer, specials and the 256 byte symbols included.
    var vocabSize = 4096
    /// Special tokens of the trained tokenizer, ids 0, 1, … in this order.
    var specialTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    /// Pairs seen fewer times are never merged.
    var minFrequency = 2
    /// A shard is closed once it holds this many tokens.
    var shardTokens = 1 << 22

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, output, metrics, tokenizer
        case vocabSize = "vocab_size"
        case specialTokens = "special_tokens"
        case minFrequency = "min_frequency"
        case shardTokens = "shard_tokens"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = Self()
        input = try c.value(forKey: .input, default: defaults.input)
        output = try c.value(forKey: .output, default: defaults.output)
        metrics = try c.value(forKey: .metrics, default: defaults.metrics)
        tokenizer = try c.decodeIfPresent(String.self, forKey: .tokenizer)
        vocabSize = try c.value(forKey: .vocabSize, default: defaults.vocabSize)
        specialTokens = try c.value(forKey: .specialTokens, default: defaults.specialTokens)
        minFrequency = try c.value(forKey: .minFrequency, default: defaults.minFrequency)
        shardTokens = try c.value(forKey: .shardTokens, default: defaults.shardTokens)
        let minimum = 256 + Set(specialTokens).count
        if vocabSize < minimum {
            throw invalidParam(decoder, "vocab_size", "is \(vocabSize): it must be at least \(minimum) (256 byte symbols + special tokens)")
        }
        if minFrequency < 1 { throw invalidParam(decoder, "min_frequency", "must be at least 1") }
        if shardTokens < 1 { throw invalidParam(decoder, "shard_tokens", "must be at least 1") }
        if specialTokens.contains(where: \.isEmpty) { throw invalidParam(decoder, "special_tokens", "may not hold an empty token") }
    }
}
