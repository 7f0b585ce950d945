import Foundation
import StageKit
import Triage
import TriageData

/// The evaluate stage's outputs: metrics JSON, latency JSON, prediction CSVs and SVG plots (the hand-written notes'
/// with an `_handwritten` suffix, their CSV led by each note's id and language), each written atomically.
struct EvaluationReport {
    var results: [ModelEvaluation]

    func write(params: EvaluateParameters, context: StageContext) throws {
        let metrics = MetricsJSON.object(results.map { ($0.name, $0.json) })
        try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
        let latency = MetricsJSON.object(results.map {
            ($0.name, .object([("ms_per_prediction", .number($0.secondsPerPrediction * 1000))]))
        })
        try AtomicOutput.write(latency.metricsText + "\n", to: context.resolve(params.latency))
        let curves = try params.curves.compactMap { path -> (String, LossCurve)? in
            let url = context.resolve(path)
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            let curve = try LossCurve.parse(csv: String(decoding: try Data(contentsOf: url), as: UTF8.self), source: url.path)
            return curve.points.isEmpty ? nil : (url.deletingPathExtension().lastPathComponent, curve)
        }
        try AtomicOutput.writeDirectory(at: context.resolve(params.plots)) { directory in
            for result in results {
                try AtomicOutput.write(SVGChart.confusionMatrix(
                    title: "\(result.name): confusion matrix (accuracy \(LossCurve.format(result.metrics.accuracy)))",
                    labels: TriageLabel.allCases.map(\.rawValue), counts: result.metrics.confusion),
                    to: directory.appendingPathComponent("confusion_\(result.name).svg"))
                try AtomicOutput.write(result.test.csv(withIdentity: false),
                                       to: directory.appendingPathComponent("predictions_\(result.name).csv"))
                if let handwritten = result.handwritten {
                    try AtomicOutput.write(SVGChart.confusionMatrix(
                        title: "\(result.name), hand-written notes: confusion matrix (accuracy \(LossCurve.format(handwritten.metrics.accuracy)))",
                        labels: TriageLabel.allCases.map(\.rawValue), counts: handwritten.metrics.confusion),
                        to: directory.appendingPathComponent("confusion_\(result.name)_handwritten.svg"))
                    try AtomicOutput.write(handwritten.csv(withIdentity: true),
                                           to: directory.appendingPathComponent("predictions_\(result.name)_handwritten.csv"))
                }
            }
            try AtomicOutput.write(SVGChart.lineChart(
                title: "Training loss", xLabel: "step", yLabel: "loss",
                series: curves.map { name, curve in (name, curve.points.map { (Double($0.step), $0.value) }) }),
                to: directory.appendingPathComponent("loss_curves.svg"))
        }
    }
}
