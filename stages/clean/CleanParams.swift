import StageKit
import TriageData

/// params.yaml `clean`: input, outputs, and the cleaning settings (`RecordCleaner.Settings`).
struct CleanParams: StageParameters {
    static let section = "clean"

    var input = "data/normalized/records.jsonl"
    /// Receives `records.jsonl` (kept) and `dropped.jsonl` (id, reason, detail, of).
    var out = "data/clean"
    var report = "reports/clean.json"
    /// The generator's noise truth, to score what happened to each kind of noise; empty to skip.
    var noiseTruth = "data/raw/synthetic/noise_truth.jsonl"
    var settings = RecordCleaner.Settings()

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case input, out, report
        case noiseTruth = "noise_truth"
        case minChars = "min_chars", maxChars = "max_chars"
        case checkLanguage = "check_language", languageConfidence = "language_confidence"
        case dropLabelConflicts = "drop_label_conflicts"
        case nearDuplicateThreshold = "near_duplicate_threshold"
        case shingleSize = "shingle_size", bands, rows, seed
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = CleanParams()
        input = try c.value(forKey: .input, default: d.input)
        out = try c.value(forKey: .out, default: d.out)
        report = try c.value(forKey: .report, default: d.report)
        noiseTruth = try c.value(forKey: .noiseTruth, default: d.noiseTruth)
        var s = RecordCleaner.Settings()
        s.minChars = try c.value(forKey: .minChars, default: s.minChars)
        s.maxChars = try c.value(forKey: .maxChars, default: s.maxChars)
        s.checkLanguage = try c.value(forKey: .checkLanguage, default: s.checkLanguage)
        s.languageConfidence = try c.value(forKey: .languageConfidence, default: s.languageConfidence)
        s.dropLabelConflicts = try c.value(forKey: .dropLabelConflicts, default: s.dropLabelConflicts)
        s.nearDuplicateThreshold = try c.value(forKey: .nearDuplicateThreshold, default: s.nearDuplicateThreshold)
        s.shingleSize = try c.value(forKey: .shingleSize, default: s.shingleSize)
        s.bands = try c.value(forKey: .bands, default: s.bands)
        s.rows = try c.value(forKey: .rows, default: s.rows)
        s.seed = try c.value(forKey: .seed, default: s.seed)
        guard s.minChars >= 0, s.maxChars > s.minChars else {
            throw invalidParam(decoder, "max_chars", "must exceed min_chars ≥ 0 (got \(s.minChars)…\(s.maxChars))")
        }
        guard (0.5...1).contains(s.languageConfidence) else {
            throw invalidParam(decoder, "language_confidence", "must be within 0.5…1, got \(s.languageConfidence)")
        }
        guard (0...1).contains(s.nearDuplicateThreshold) else {
            throw invalidParam(decoder, "near_duplicate_threshold", "must be within 0…1, got \(s.nearDuplicateThreshold)")
        }
        guard s.shingleSize > 0, s.bands > 0, s.rows > 0 else {
            throw invalidParam(decoder, "bands", "shingle_size, bands and rows must all be > 0")
        }
        settings = s
    }
}
