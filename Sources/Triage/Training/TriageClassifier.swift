import Foundation
import Tensors
import TriageData

/// Classifies a triage description by constrained choice: the log-probability of each label word after the
/// prompt is scored and the highest wins, so every answer is a valid label and no generation is needed.
///
/// When every label word is a single token the three scores come from one forward pass of the prompt (the last
/// row's log-softmax); otherwise each word is scored as a completion.
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

    /// The log-probability of each label word (in `TriageLabel.allCases` order) after `prompt`'s ids.
    public func scores(promptIds: [Int]) -> [Double] {
        model.setTraining(false)
        return Variable.withoutGradients {
            if labelIds.allSatisfy({ $0.count == 1 }) {
                let truncated = Array(promptIds.suffix(encoder.maxLength))
                let (hidden, length) = model.hiddenStates([truncated])
                let last = Variable.embedding([length - 1], table: hidden)
                let logits = model.lmHead(last.rmsNorm(weight: model.norm, eps: model.config.rmsNormEps)).value
                let logZ = Self.logSumExp(logits.scalars)
                return labelIds.map { Double(logits.scalars[$0[0]]) - logZ }
            }
            let examples = labelIds.map {
                CompletionExample(promptIds: promptIds, completionIds: $0).truncated(toLength: encoder.maxLength)
            }
            let sums = model.completionLogProbabilities(CompletionBatch(examples, padId: encoder.padId)).value
            return sums.scalars.map(Double.init)
        }
    }

    /// The label with the highest score (the most urgent on an exact tie).
    public func predict(promptIds: [Int]) -> TriageLabel {
        let s = scores(promptIds: promptIds)
        var best = 0
        for i in 1..<s.count where s[i] > s[best] { best = i }
        return TriageLabel.allCases[best]
    }

    static func logSumExp(_ values: [Float]) -> Double {
        let m = Double(values.max() ?? 0)
        return m + log(values.reduce(0.0) { $0 + exp(Double($1) - m) })
    }
}
