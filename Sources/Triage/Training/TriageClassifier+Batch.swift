import Foundation
import Tensors
import TriageData

/// Batched scoring for serving: the same prompts, truncation and label candidates as `scores(promptIds:)`, many
/// prompts per packed pass, each resuming from a cached system turn when its ids begin with one.
extension TriageClassifier {
    /// The log-probability of each label word (in `TriageLabel.allCases` order) after each of `promptIds`;
    /// equal to `scores(promptIds:)` per prompt up to float rounding.
    public func scores(batch promptIds: [[Int]], prefixes: [Qwen3PrefixCache] = []) -> [[Double]] {
        let room = encoder.maxLength - (labelIds.map(\.count).max() ?? 1)
        return model.candidateLogProbabilities(prompts: promptIds.map { Array($0.suffix(room)) }, candidates: labelIds,
                                               prefixes: prefixes)
    }

    /// One prefix cache per language: the ids every prompt in that language starts with (the system turn and
    /// the opening of the user turn), found as the common start of two prompts with unrelated texts.
    public func promptPrefixes() -> [Qwen3PrefixCache] {
        RecordLanguage.allCases.compactMap { lang in
            let a = encoder.promptIds(text: "a", lang: lang)
            let b = encoder.promptIds(text: "9 Zq", lang: lang)
            let common = zip(a, b).prefix { $0 == $1 }.count
            // Keep one token back: the last shared id may still merge with the text of some other prompt.
            let length = common - 1
            guard length > 0 else { return nil }
            return Qwen3PrefixCache(model: model, tokens: Array(a.prefix(length)))
        }
    }
}
