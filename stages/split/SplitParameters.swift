import StageKit

/// The `split` section of params.yaml; every field has a default so the stage also runs by hand.
struct SplitParameters: StageParameters {
    static let section = "split"

    /// The anonymized records (JSON Lines, design §7).
    var input = "data/anonymized/records.jsonl"
    /// The tokenizer used for the length limit (the tokenize stage's output).
    var tokenizer = "data/tokenized/tokenizer.json"
    /// The output directory: train/val/test.jsonl, sft.jsonl, dpo.jsonl, report.md.
    var output = "data/split"
    /// The metrics file.
    var metrics = "reports/split.json"
    /// Seed of every shuffle and of the MinHash functions.
    var seed = 42
    /// Target shares; they must sum to 1.
    var train = 0.8, val = 0.1, test = 0.1
    /// Estimated Jaccard similarity (word 3-grams) from which two records are near-duplicates.
    var nearDuplicateThreshold = 0.7
    /// SFT and DPO rows drawn from train.
    var sftRows = 10000, dpoRows = 5000
    /// Whether the SFT set also teaches the findings task (a second row per record: its rationale's findings).
    var sftFindings = true
    /// How many times a findings row that quotes a measured value (`86%`, `8/10`) is written.
    var sftFindingsValueRepeats = 3
    /// Records whose SFT example exceeds this many tokens are left out; 0 disables the limit.
    var maxTokens = 512

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, tokenizer, output, metrics, seed, train, val, test
        case nearDuplicateThreshold = "near_duplicate_threshold"
        case sftRows = "sft_rows"
        case sftFindings = "sft_findings"
        case sftFindingsValueRepeats = "sft_findings_value_repeats"
        case dpoRows = "dpo_rows"
        case maxTokens = "max_tokens"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        input = try c.value(forKey: .input, default: d.input)
        tokenizer = try c.value(forKey: .tokenizer, default: d.tokenizer)
        output = try c.value(forKey: .output, default: d.output)
        metrics = try c.value(forKey: .metrics, default: d.metrics)
        seed = try c.value(forKey: .seed, default: d.seed)
        train = try c.value(forKey: .train, default: d.train)
        val = try c.value(forKey: .val, default: d.val)
        test = try c.value(forKey: .test, default: d.test)
        nearDuplicateThreshold = try c.value(forKey: .nearDuplicateThreshold, default: d.nearDuplicateThreshold)
        sftRows = try c.value(forKey: .sftRows, default: d.sftRows)
        dpoRows = try c.value(forKey: .dpoRows, default: d.dpoRows)
        sftFindings = try c.value(forKey: .sftFindings, default: d.sftFindings)
        sftFindingsValueRepeats = try c.value(forKey: .sftFindingsValueRepeats, default: d.sftFindingsValueRepeats)
        maxTokens = try c.value(forKey: .maxTokens, default: d.maxTokens)
        for (key, value) in [("train", train), ("val", val), ("test", test)] where !(0...1).contains(value) {
            throw invalidParam(decoder, key, "is \(value): a share must lie between 0 and 1")
        }
        if abs(train + val + test - 1) > 1e-6 {
            throw invalidParam(decoder, "train", "+ val + test is \(train + val + test): the shares must sum to 1")
        }
        if !(0...1).contains(nearDuplicateThreshold) {
            throw invalidParam(decoder, "near_duplicate_threshold", "must lie between 0 and 1")
        }
        if sftRows < 0 { throw invalidParam(decoder, "sft_rows", "may not be negative") }
        if dpoRows < 0 { throw invalidParam(decoder, "dpo_rows", "may not be negative") }
        if sftFindingsValueRepeats < 1 {
            throw invalidParam(decoder, "sft_findings_value_repeats", "is \(sftFindingsValueRepeats): it must be at least 1")
        }
        if maxTokens < 0 { throw invalidParam(decoder, "max_tokens", "may not be negative (0 disables the limit)") }
    }
}
