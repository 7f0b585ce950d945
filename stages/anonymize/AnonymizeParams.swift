import StageKit

/// params.yaml `anonymize`: input, output directory, report, and the ground truth to score against.
struct AnonymizeParams: StageParameters {
    static let section = "anonymize"

    var input = "data/clean/records.jsonl"
    /// Receives `records.jsonl` with personal data replaced by typed placeholders.
    var out = "data/anonymized"
    var report = "reports/anonymize.json"
    /// The generator's personal-data truth; scoring is skipped when empty or absent.
    var truth = "data/raw/synthetic/pii_truth.jsonl"
    /// Fail the stage when recall falls below this (0 disables the gate).
    var minRecall = 0.0
    /// Fail the stage when precision falls below this (0 disables the gate).
    var minPrecision = 0.0

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, out, report, truth
        case minRecall = "min_recall", minPrecision = "min_precision"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AnonymizeParams()
        input = try c.value(forKey: .input, default: d.input)
        out = try c.value(forKey: .out, default: d.out)
        report = try c.value(forKey: .report, default: d.report)
        truth = try c.value(forKey: .truth, default: d.truth)
        minRecall = try c.value(forKey: .minRecall, default: d.minRecall)
        minPrecision = try c.value(forKey: .minPrecision, default: d.minPrecision)
        for (key, value) in [("min_recall", minRecall), ("min_precision", minPrecision)] where !(0...1).contains(value) {
            throw invalidParam(decoder, key, "must be within 0…1, got \(value)")
        }
    }
}
