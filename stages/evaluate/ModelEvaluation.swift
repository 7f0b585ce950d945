import Foundation
import Tensors
import Triage
import TriageData

/// One model's results on the test split: classification metrics at its calibrated operating point and at the plain
/// argmax, preference accuracy, and timing.
struct ModelEvaluation {
    var name: String
    /// Test metrics at `operatingPoint`: the decision the model is deployed with.
    var metrics: ClassificationMetrics
    /// Test metrics of the plain argmax (bias 0), reported beside them.
    var argmaxMetrics: ClassificationMetrics
    var operatingPoint: TriageOperatingPoint
    /// The calibration split's size and under-triage at `operatingPoint` (nil when not calibrated).
    var calibration: (records: Int, underTriage: Double)?
    var preferenceAccuracy: Double
    var pairs: Int
    var secondsPerPrediction: Double
    /// Per record: the true and predicted label and each label's log-probability, for the predictions CSV.
    var predictions: [(truth: TriageLabel, predicted: TriageLabel, scores: [Double])]

    /// Calibrates the operating point on `calibration` (when `maxUnderTriage` is set), classifies every test
    /// record and scores every held-out pair; `tick` is called after each.
    static func run(name: String, model: Qwen3Model, encoder: TriageTextEncoder, records: [TriageRecord],
                    calibration: [TriageRecord], maxUnderTriage: Double?, pairs: [DPORow],
                    tick: (String) -> Void) -> ModelEvaluation {
        var classifier = TriageClassifier(model: model, encoder: encoder)
        func score(_ records: [TriageRecord], _ what: String) -> [(truth: TriageLabel, scores: [Double])] {
            records.enumerated().map { index, record in
                defer { tick("\(what) \(index + 1)/\(records.count)") }
                return (record.label, classifier.scores(promptIds: encoder.promptIds(record)))
            }
        }
        var calibrationResult: (records: Int, underTriage: Double)?
        if let maxUnderTriage {
            let scored = score(calibration, "calibrated")
            classifier.operatingPoint = .calibrated(on: scored, maxUnderTriage: maxUnderTriage)
            calibrationResult = (scored.count, classifier.operatingPoint.underTriageRate(on: scored))
        }
        let start = Date()
        let scored = score(records, "classified")
        let seconds = Date().timeIntervalSince(start) / Double(records.count)
        var metrics = ClassificationMetrics(), argmax = ClassificationMetrics()
        var predictions: [(truth: TriageLabel, predicted: TriageLabel, scores: [Double])] = []
        for (record, s) in zip(records, scored) {
            let predicted = classifier.operatingPoint.label(scores: s.scores)
            metrics.record(truth: record.label, predicted: predicted, lang: record.lang)
            argmax.record(truth: record.label, predicted: TriageOperatingPoint().label(scores: s.scores), lang: record.lang)
            predictions.append((record.label, predicted, s.scores))
        }
        var preferred = 0
        for (index, row) in pairs.enumerated() {
            let pair = encoder.pair(row)
            let scores = model.candidateLogProbabilities(promptIds: pair.chosen.promptIds,
                                                         candidates: [pair.chosen.completionIds, pair.rejected.completionIds])
            if scores[0] > scores[1] { preferred += 1 }
            tick("preference pair \(index + 1)/\(pairs.count)")
        }
        return ModelEvaluation(name: name, metrics: metrics, argmaxMetrics: argmax, operatingPoint: classifier.operatingPoint,
                               calibration: calibrationResult,
                               preferenceAccuracy: pairs.isEmpty ? 0 : Double(preferred) / Double(pairs.count),
                               pairs: pairs.count, secondsPerPrediction: seconds, predictions: predictions)
    }

    /// The deterministic metrics of this model as JSON.
    var json: MetricsJSON {
        .object([
            ("accuracy", .number(metrics.accuracy)),
            ("macro_f1", .number(metrics.macroF1)),
            ("under_triage_rate", .number(metrics.underTriageRate)),
            ("accuracy_by_language", .object(RecordLanguage.allCases.map { ($0.rawValue, .number(metrics.accuracy(for: $0))) })),
            ("preference_accuracy", .number(preferenceAccuracy)),
            ("confusion_matrix", .object([
                ("labels", .array(TriageLabel.allCases.map { .string($0.rawValue) })),
                ("rows_true_columns_predicted", .array(metrics.confusion.map { .array($0.map { .int($0) }) })),
            ])),
            ("test_records", .int(metrics.total)),
            ("preference_pairs", .int(pairs)),
            ("operating_point", .object([("immediate_bias", .number(operatingPoint.immediateBias))] + (calibration.map {
                [("calibration_records", .int($0.records)), ("calibration_under_triage_rate", .number($0.underTriage))]
            } ?? []))),
            ("argmax", .object([
                ("accuracy", .number(argmaxMetrics.accuracy)),
                ("macro_f1", .number(argmaxMetrics.macroF1)),
                ("under_triage_rate", .number(argmaxMetrics.underTriageRate)),
            ])),
        ])
    }
}
