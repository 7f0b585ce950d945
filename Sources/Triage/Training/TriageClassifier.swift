import Foundation
import Tensors
import TriageData

/// Classifies a triage description by constrained choice: the log-probability of each label word after the
/// prompt is scored and the highest wins, so every answer is a valid label and no generation is needed.
public struct TriageClassifier {
    /// The model being scored.
    public let model: Qwen3Model
    /// Encodes prompts and label words.
    public let encoder: TriageTextEncoder
    let labelIds: [[Int]]

    /// A classifier over `model` with `encoder`'s tokenizer.
    public init(model: Qwen3Model, encoder: TriageTextEncoder) {
        self.model = model
        self.encoder = encoder
        labelIds = TriageLabel.allCases.map { encoder.encode($0.rawValue) }
    }

    /// The log-probability of each label word (in `TriageLabel.allCases` order) after `promptIds`.
    public func scores(promptIds: [Int]) -> [Double] {
        let room = encoder.maxLength - (labelIds.map(\.count).max() ?? 1)
        return model.candidateLogProbabilities(promptIds: Array(promptIds.suffix(room)), candidates: labelIds)
    }

    /// The label with the highest score (the most urgent on an exact tie).
    public func predict(promptIds: [Int]) -> TriageLabel {
        let s = scores(promptIds: promptIds)
        var best = 0
        for i in 1..<s.count where s[i] > s[best] { best = i }
        return TriageLabel.allCases[best]
    }
}
