import Foundation
import Tensors
import Triage
import TriageData

/// One model's results: the test split (and, when given, the hand-written notes) classified at its calibrated
/// operating point and at the plain argmax, preference accuracy, and timing.
struct ModelEvaluation {
    var name: String
    /// The test split's results.
    var test: SplitEvaluation
    /// The hand-written notes' results, scored at the same operating point (nil when `evaluate.handwritten` is null).
    var handwritten: SplitEvaluation?
    var operatingPoint: TriageOperatingPoint
    /// The calibration split's size and under-triage at `operatingPoint` (nil when not calibrated).
    var calibration: (records: Int, underTriage: Double)?
    var preferenceAccuracy: Double
    var pairs: Int
    var secondsPerPrediction: Double

    /// Test metrics at `operatingPoint`.
    var metrics: ClassificationMetrics { test.metrics }

    /// Calibrates the operating point on `calibration` (when `maxUnderTriage` is set), classifies every test
    /// record and every hand-written note with it, and scores every held-out pair; `tick` is called after each.
    static func run(name: String, model: Qwen3Model, encoder: TriageTextEncoder, records: [TriageRecord],
                    handwritten: [TriageRecord]?, calibration: [TriageRecord], maxUnderTriage: Double?,
                    pairs: [DPORow], tick: (String) -> Void) -> ModelEvaluation {
        var classifier = TriageClassifier(model: model, encoder: encoder)
        func score(_ records: [TriageRecord], _ what: String) -> [[Double]] {
            records.enumerated().map { index, record in
                defer { tick("\(what) \(index + 1)/\(records.count)") }
                return classifier.scores(promptIds: encoder.promptIds(record))
            }
        }
        var calibrationResult: (records: Int, underTriage: Double)?
        if let maxUnderTriage {
            let scored = zip(calibration, score(calibration, "calibrated")).map { (truth: $0.label, scores: $1) }
            classifier.operatingPoint = .calibrated(on: scored, maxUnderTriage: maxUnderTriage)
            calibrationResult = (scored.count, classifier.operatingPoint.underTriageRate(on: scored))
        }
        let start = Date()
        let testScores = score(records, "classified")
        let seconds = Date().timeIntervalSince(start) / Double(records.count)
        let test = SplitEvaluation(records: records, scores: testScores, operatingPoint: classifier.operatingPoint)
        let handwrittenResult = handwritten.map {
            SplitEvaluation(records: $0, scores: score($0, "hand-written"), operatingPoint: classifier.operatingPoint)
        }
        var preferred = 0
        for (index, row) in pairs.enumerated() {
            let pair = encoder.pair(row)
            let scores = model.candidateLogProbabilities(promptIds: pair.chosen.promptIds,
                                                         candidates: [pair.chosen.completionIds, pair.rejected.completionIds])
            if scores[0] > scores[1] { preferred += 1 }
            tick("preference pair \(index + 1)/\(pairs.count)")
        }
        return ModelEvaluation(name: name, test: test, handwritten: handwrittenResult,
                               operatingPoint: classifier.operatingPoint, calibration: calibrationResult,
                               preferenceAccuracy: pairs.isEmpty ? 0 : Double(preferred) / Double(pairs.count),
                               pairs: pairs.count, secondsPerPrediction: seconds)
    }

    /// The deterministic metrics of this model as JSON: the test split's at the top level (keys other tools read),
    /// the hand-written notes' under `handwritten`.
    var json: MetricsJSON {
        .object([
            ("accuracy", .number(metrics.accuracy)),
            ("macro_f1", .number(metrics.macroF1)),
            ("under_triage_rate", .number(metrics.underTriageRate)),
            ("accuracy_by_language", .object(RecordLanguage.allCases.map { ($0.rawValue, .number(metrics.accuracy(for: $0))) })),
            ("preference_accuracy", .number(preferenceAccuracy)),
            ("confusion_matrix", SplitEvaluation.confusionJSON(metrics)),
            ("test_records", .int(metrics.total)),
            ("preference_pairs", .int(pairs)),
            ("operating_point", .object([("immediate_bias", .number(operatingPoint.immediateBias))] + (calibration.map {
                [("calibration_records", .int($0.records)), ("calibration_under_triage_rate", .number($0.underTriage))]
            } ?? []))),
            ("argmax", .object([
                ("accuracy", .number(test.argmaxMetrics.accuracy)),
                ("macro_f1", .number(test.argmaxMetrics.macroF1)),
                ("under_triage_rate", .number(test.argmaxMetrics.underTriageRate)),
            ])),
        ] + (handwritten.map { [("handwritten", $0.sectionJSON)] } ?? []))
    }
}
