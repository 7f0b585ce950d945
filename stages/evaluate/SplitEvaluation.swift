import Foundation
import Triage
import TriageData

/// One model's classification results on one split of records: metrics at the deployed operating point and at the
/// plain argmax, and each record's prediction.
///
/// Why a type of its own: the test split and the hand-written notes are scored the same way from the same scores,
/// so both sections of `reports/evaluate.json` and both predictions CSVs come from this one tally.
struct SplitEvaluation {
    /// Metrics at `operatingPoint`: the decision the model is deployed with.
    var metrics: ClassificationMetrics
    /// Metrics of the plain argmax (bias 0), reported beside them.
    var argmaxMetrics: ClassificationMetrics
    /// Per record, in input order: its id and language, the true and predicted label and each label's
    /// log-probability, for the predictions CSV.
    var predictions: [(id: String, lang: RecordLanguage, truth: TriageLabel, predicted: TriageLabel, scores: [Double])]

    /// Tallies `records` scored as `scores` (log-probabilities in `TriageLabel.allCases` order, one per record).
    init(records: [TriageRecord], scores: [[Double]], operatingPoint: TriageOperatingPoint) {
        precondition(records.count == scores.count, "one score vector per record")
        metrics = ClassificationMetrics()
        argmaxMetrics = ClassificationMetrics()
        predictions = []
        for (record, s) in zip(records, scores) {
            let predicted = operatingPoint.label(scores: s)
            metrics.record(truth: record.label, predicted: predicted, lang: record.lang)
            argmaxMetrics.record(truth: record.label, predicted: TriageOperatingPoint().label(scores: s), lang: record.lang)
            predictions.append((record.id, record.lang, record.label, predicted, s))
        }
    }

    /// The truly immediate cases `metrics` called medium or delayed: the count behind the under-triage rate.
    static func missedImmediate(_ metrics: ClassificationMetrics) -> Int {
        let row = metrics.confusion[TriageLabel.immediate.rank]
        return row.reduce(0, +) - row[TriageLabel.immediate.rank]
    }

    /// The classification metrics of `metrics` as JSON: accuracy, macro-F1, under-triage rate and count, accuracy
    /// per language, confusion matrix.
    static func json(_ metrics: ClassificationMetrics) -> [(String, MetricsJSON)] {
        [
            ("accuracy", .number(metrics.accuracy)),
            ("macro_f1", .number(metrics.macroF1)),
            ("under_triage_rate", .number(metrics.underTriageRate)),
            ("missed_immediate", .int(missedImmediate(metrics))),
            ("accuracy_by_language", .object(RecordLanguage.allCases.map { ($0.rawValue, .number(metrics.accuracy(for: $0))) })),
            ("confusion_matrix", confusionJSON(metrics)),
        ]
    }

    /// `{"labels": [...], "rows_true_columns_predicted": [[...]]}`.
    static func confusionJSON(_ metrics: ClassificationMetrics) -> MetricsJSON {
        .object([
            ("labels", .array(TriageLabel.allCases.map { .string($0.rawValue) })),
            ("rows_true_columns_predicted", .array(metrics.confusion.map { .array($0.map { .int($0) }) })),
        ])
    }

    /// The hand-written section of a model's metrics: the record count, then the metrics at the operating point
    /// and, under `argmax`, the same metrics of the plain argmax.
    var sectionJSON: MetricsJSON {
        .object([("records", .int(metrics.total))] + Self.json(metrics) + [("argmax", .object(Self.json(argmaxMetrics)))])
    }

    /// The predictions CSV: `header` columns then one row per record (log-probabilities to 4 decimals).
    func csv(withIdentity: Bool) -> String {
        let identity = withIdentity ? ["id", "lang"] : []
        let header = (identity + ["actual", "predicted"] + TriageLabel.allCases.map { "logp_\($0.rawValue)" }).joined(separator: ",")
        let rows = predictions.map { p in
            ((withIdentity ? [p.id, p.lang.rawValue] : []) + [p.truth.rawValue, p.predicted.rawValue]
                + p.scores.map { String(format: "%.4f", $0) }).joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }
}
