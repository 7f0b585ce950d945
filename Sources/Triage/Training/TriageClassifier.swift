import Foundation
import Tensors
import TriageData

/// Classifies a triage description by constrained choice: the log-probability of each label word after the
/// prompt is scored and the operating point picks the label, so every answer is a valid label and no generation is
/// needed.
public struct TriageClassifier {
    /// The model being scored.
    public let model: Qwen3Model
    /// Encodes prompts and label words.
    public let encoder: TriageTextEncoder
    /// How scores become a label: the plain argmax unless calibrated.
    public var operatingPoint: TriageOperatingPoint
    let labelIds: [[Int]]

    /// A classifier over `model` with `encoder`'s tokenizer, deciding at `operatingPoint`.
    public init(model: Qwen3Model, encoder: TriageTextEncoder, operatingPoint: TriageOperatingPoint = TriageOperatingPoint()) {
        self.model = model
        self.encoder = encoder
        self.operatingPoint = operatingPoint
        labelIds = TriageLabel.allCases.map { encoder.encode($0.rawValue) }
    }

    /// The log-probability of each label word (in `TriageLabel.allCases` order) after `promptIds`.
    public func scores(promptIds: [Int]) -> [Double] {
        let room = encoder.maxLength - (labelIds.map(\.count).max() ?? 1)
        return model.candidateLogProbabilities(promptIds: Array(promptIds.suffix(room)), candidates: labelIds)
    }

    /// The label `operatingPoint` chooses for the scores after `promptIds`.
    public func predict(promptIds: [Int]) -> TriageLabel {
        operatingPoint.label(scores: scores(promptIds: promptIds))
    }
}
