import Foundation
import Testing
import TriageData
@testable import Triage

@Suite struct EvaluateMetricsTests {
    @Test func accuracyMacroF1AndUnderTriageMatchAHandComputedConfusionMatrix() {
        // rows true (immediate, medium, delayed), columns predicted
        let m = ClassificationMetrics(confusion: [[8, 1, 1],
                                                  [2, 6, 2],
                                                  [0, 3, 7]])
        #expect(m.total == 30)
        #expect(abs(m.accuracy - 21.0 / 30) < 1e-12)
        // F1 = 2TP / (predicted + actual): immediate 16/20, medium 12/20, delayed 14/20
        #expect(zip(m.perClassF1, [0.8, 0.6, 0.7]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(abs(m.macroF1 - 0.7) < 1e-12)
        #expect(abs(m.underTriageRate - 0.2) < 1e-12)                      // 2 of 10 immediate called lower
    }

    @Test func aClassNeverSeenNorPredictedScoresZeroF1AndNoImmediateMeansNoUnderTriage() {
        let m = ClassificationMetrics(confusion: [[0, 0, 0], [0, 5, 0], [0, 5, 0]])
        #expect(m.perClassF1 == [0, 2.0 * 5 / 15, 0])
        #expect(m.underTriageRate == 0)
    }

    @Test func recordingPredictionsFillsTheMatrixAndPerLanguageAccuracy() {
        var m = ClassificationMetrics()
        m.record(truth: .immediate, predicted: .immediate, lang: .en)
        m.record(truth: .immediate, predicted: .delayed, lang: .fr)
        m.record(truth: .delayed, predicted: .delayed, lang: .fr)
        m.record(truth: .medium, predicted: .immediate, lang: .en)
        #expect(m.confusion == [[1, 0, 1], [1, 0, 0], [0, 0, 1]])
        #expect(m.accuracy(for: .en) == 0.5 && m.accuracy(for: .fr) == 0.5)
        #expect(m.underTriageRate == 0.5)
    }

    @Test func constrainedChoicePicksTheLabelWithTheHighestSummedLogProbability() {
        let model = Qwen3Fixtures.tinyModel()
        let prompt = Qwen3Fixtures.tokens(7, seed: 9)
        let candidates = [[3], [4, 5], [6, 7, 8]]
        let scores = model.candidateLogProbabilities(promptIds: prompt, candidates: candidates)
        for (index, candidate) in candidates.enumerated() {
            let example = CompletionExample(promptIds: prompt, completionIds: candidate)
            let reference = model.completionLogProbabilities(CompletionBatch([example], padId: 0)).value.scalar
            #expect(abs(scores[index] - Double(reference)) < 1e-4)
        }
    }

    @Test func metricsJSONAndLossCurvesAreByteStableAndParseBack() throws {
        var curve = LossCurve(name: "loss", extraColumns: ["learning_rate"])
        curve.append(step: 1, value: 2.5, extras: [0.0001])
        curve.append(step: 2, value: 1.25, extras: [0.0002])
        #expect(curve.csv == "step,loss,learning_rate\n1,2.5,0.0001\n2,1.25,0.0002\n")
        #expect(try LossCurve.parse(csv: curve.csv, source: "x.csv") == curve)
        #expect(throws: TrainingError.self) { try LossCurve.parse(csv: "step,loss\n1,abc\n", source: "x.csv") }
        let json = MetricsJSON.object([("b", .number(0.5)), ("a", .array([.int(1), .string("x\"y")]))])
        #expect(json.metricsText == #"{"b":0.5,"a":[1,"x\"y"]}"#)
        let svg = SVGChart.confusionMatrix(title: "t", labels: ["a", "b"], counts: [[1, 2], [3, 4]])
        #expect(svg.hasPrefix("<svg") && svg.contains(">4</text>"))
    }
}

/// Bytes the metrics writer produced before it moved onto PipeBasics' one writer (captured at e06870b).
@Suite struct MetricsJSONPinTests {
    @Test("metrics text keeps six significant digits, nulls for NaN and the old escapes, byte for byte")
    func pinnedBytes() {
        let metrics = MetricsJSON.object([
            ("accuracy", .number(0.8333333333)), ("n", .int(120)), ("big", .number(1234567.0)),
            ("nan", .number(.nan)), ("name", .string("caf\u{e9} \"x\" \\ \n\u{01}")), ("ok", .bool(true)),
            ("per", .array([.number(1.0), .number(0.25)])),
        ])
        #expect(metrics.metricsText
            == "{\"accuracy\":0.833333,\"n\":120,\"big\":1.23457e+06,\"nan\":null,\"name\":\"café \\\"x\\\" \\\\ \\n\\u0001\",\"ok\":true,\"per\":[1,0.25]}")
    }
}
