import StageKit

/// The `merge` section of params.yaml; every field has a default so the stage also runs by hand.
struct MergeParameters: StageParameters {
    static let section = "merge"

    /// The base model directory and the adapter merged into it (the DPO adapter by default).
    var base = "models/base", adapter = "models/dpo_adapter"
    /// The merged full checkpoint written (HF layout, with tokenizer.json).
    var output = "models/merged"
    /// Records whose prompts are the check's sample sequences.
    var samples = "data/split/val.jsonl"
    /// How many sample prompts the check runs.
    var sampleCount = 8
    /// Largest allowed |merged − (NF4 base + adapter)| logit difference.
    var tolerance = 1e-3
    /// Longest sample sequence in tokens.
    var maxLength = 256
    /// The metrics file.
    var metrics = "reports/merge.json"

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case base, adapter, output, samples, tolerance, metrics
        case sampleCount = "sample_count", maxLength = "max_length"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        base = try c.value(forKey: .base, default: d.base)
        adapter = try c.value(forKey: .adapter, default: d.adapter)
        output = try c.value(forKey: .output, default: d.output)
        samples = try c.value(forKey: .samples, default: d.samples)
        sampleCount = try c.value(forKey: .sampleCount, default: d.sampleCount)
        tolerance = try c.value(forKey: .tolerance, default: d.tolerance)
        maxLength = try c.value(forKey: .maxLength, default: d.maxLength)
        metrics = try c.value(forKey: .metrics, default: d.metrics)
        if sampleCount < 1 { throw invalidParam(decoder, "sample_count", "must be at least 1") }
        if !(tolerance > 0) { throw invalidParam(decoder, "tolerance", "must be positive") }
        if maxLength < 8 { throw invalidParam(decoder, "max_length", "must be at least 8") }
    }
}
