import Foundation
import PipeBasics
import TriageData

/// One classified description: the label the operating point chose, the log-probability of each label word, the
/// language scored in, the model, the operating point and the time the request took.
public struct TriageResponse: Sendable, Equatable {
    /// The chosen label.
    public var label: TriageLabel
    /// log p(label word | prompt), in `TriageLabel.allCases` order (what evaluate's predictions CSV holds).
    public var scores: [Double]
    /// The language the prompt was built in.
    public var lang: RecordLanguage
    /// Whether `lang` came from the request or was detected.
    public var langDetected: Bool
    /// The served model's name.
    public var model: String
    /// The bias added to `immediate` before the argmax.
    public var immediateBias: Double
    /// Milliseconds from receiving the request to answering it.
    public var latencyMilliseconds: Double

    /// The JSON object: `{"label", "scores": {immediate, medium, delayed}, "lang", "lang_detected", "model",
    /// "operating_point": {"immediate_bias"}, "latency_ms"}`.
    public var json: JSONValue {
        .object([
            ("label", .string(label.rawValue)),
            ("scores", .object(zip(TriageLabel.allCases, scores).map { ($0.rawValue, .double($1)) })),
            ("lang", .string(lang.rawValue)),
            ("lang_detected", .bool(langDetected)),
            ("model", .string(model)),
            ("operating_point", .object([("immediate_bias", .double(immediateBias))])),
            ("latency_ms", .double(latencyMilliseconds)),
        ])
    }
}
