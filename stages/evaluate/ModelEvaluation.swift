import Foundation
import Tensors
import Triage
import TriageData

/// One model's results on the test split: classification metrics, preference accuracy, and timing.
struct ModelEvaluation {
    var name: String
    var metrics: ClassificationMetrics
    var preferenceAccuracy: Double
    var pairs: Int
    var secondsPerPrediction: Double
    /// (true, predicted) per record, for the confusion plot data.
    var predictions: [(truth: TriageLabel, predicted: TriageLabel)]

    /// Classifies every record and scores every held-out pair; `tick` is called after each.
    static func run(name: String, model: Qwen3Model, encoder: TriageTextEncoder, records: [TriageRecord],
                    pairs: [DPORow], tick: (String) -> Void) -> ModelEvaluation {
        let classifier = TriageClassifier(model: model, encoder: encoder)
        var metrics = ClassificationMetrics()
        var predictions: [(truth: TriageLabel, predicted: TriageLabel)] = []
        let start = Date()
        for record in records {
            let predicted = classifier.predict(promptIds: encoder.promptIds(record))
            metrics.record(truth: record.label, predicted: predicted, lang: record.lang)
            predictions.append((record.label, predicted))
            tick("classified \(predictions.count)/\(records.count)")
        }
        let seconds = Date().timeIntervalSince(start) / Double(records.count)
        var preferred = 0
        for (index, row) in pairs.enumerated() {
            let pair = encoder.pair(row)
            let scores = model.candidateLogProbabilities(promptIds: pair.chosen.promptIds,
                                                         candidates: [pair.chosen.completionIds, pair.rejected.completionIds])
            if scores[0] > scores[1] { preferred += 1 }
            tick("preference pair \(index + 1)/\(pairs.count)")
        }
        return ModelEvaluation(name: name, metrics: metrics,
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
        ])
    }
}
