import StageKit

/// The `evaluate` section of params.yaml; every field has a default so the stage also runs by hand.
struct EvaluateParameters: StageParameters {
    static let section = "evaluate"

    /// The models compared: the base, the NF4 base with each adapter, and the merged checkpoint.
    var base = "models/base", sftAdapter = "models/sft_adapter", dpoAdapter = "models/dpo_adapter"
    var merged = "models/merged"
    /// The test records; held-out preference pairs are built from them.
    var test = "data/split/test.jsonl"
    /// Loss curves drawn into the SVG (CSV from pretrain, sft, dpo).
    var curves = ["reports/pretrain_loss.csv", "reports/sft_loss.csv", "reports/sft_val_loss.csv", "reports/dpo_loss.csv"]
    /// Outputs: deterministic metrics, timing (kept apart so metrics stay byte-identical), plots directory.
    var metrics = "reports/evaluate.json", latency = "reports/evaluate_latency.json", plots = "reports/plots"
    /// Held-out records the operating point is calibrated on (never the test split).
    var calibration = "data/split/val.jsonl"
    /// Hand-written notes scored as a second split beside the test split, at the same operating point (never
    /// trained on: no training stage reads them). nil (YAML null): no hand-written section.
    var handwritten: String? = "data/handwritten/notes.jsonl"
    /// The largest share of the calibration split's immediate cases the operating point may under-triage; it sets
    /// how far `immediate` is favoured. nil (YAML null): the plain argmax, no calibration.
    var maxUnderTriage: Double? = 0.005
    /// Test records scored (0 = all) and held-out preference pairs built from them.
    var limit = 0, preferencePairs = 300
    /// Seed of the held-out pair construction.
    var seed = 11
    /// Longest sequence in tokens.
    var maxLength = 256

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case base, merged, test, curves, metrics, latency, plots, limit, seed
        case sftAdapter = "sft_adapter", dpoAdapter = "dpo_adapter", preferencePairs = "preference_pairs"
        case maxLength = "max_length", calibration, maxUnderTriage = "max_under_triage", handwritten
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        base = try c.value(forKey: .base, default: d.base)
        sftAdapter = try c.value(forKey: .sftAdapter, default: d.sftAdapter)
        dpoAdapter = try c.value(forKey: .dpoAdapter, default: d.dpoAdapter)
        merged = try c.value(forKey: .merged, default: d.merged)
        test = try c.value(forKey: .test, default: d.test)
        curves = try c.value(forKey: .curves, default: d.curves)
        metrics = try c.value(forKey: .metrics, default: d.metrics)
        latency = try c.value(forKey: .latency, default: d.latency)
        plots = try c.value(forKey: .plots, default: d.plots)
        limit = try c.value(forKey: .limit, default: d.limit)
        preferencePairs = try c.value(forKey: .preferencePairs, default: d.preferencePairs)
        seed = try c.value(forKey: .seed, default: d.seed)
        maxLength = try c.value(forKey: .maxLength, default: d.maxLength)
        calibration = try c.value(forKey: .calibration, default: d.calibration)
        handwritten = c.contains(.handwritten) ? try c.decodeIfPresent(String.self, forKey: .handwritten) : d.handwritten
        maxUnderTriage = c.contains(.maxUnderTriage) ? try c.decodeIfPresent(Double.self, forKey: .maxUnderTriage) : d.maxUnderTriage
        if let rate = maxUnderTriage, !(0...1).contains(rate) {
            throw invalidParam(decoder, "max_under_triage", "must be a rate between 0 and 1 (or null for the plain argmax)")
        }
        if limit < 0 || preferencePairs < 0 { throw invalidParam(decoder, "limit", "limit and preference_pairs may not be negative") }
        if handwritten?.isEmpty == true { throw invalidParam(decoder, "handwritten", "must be a path (or null for no hand-written split)") }
        if maxLength < 8 { throw invalidParam(decoder, "max_length", "must be at least 8") }
    }
}
