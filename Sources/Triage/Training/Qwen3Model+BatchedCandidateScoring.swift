import Foundation
import Tensors

/// Constrained-choice scoring of many prompts at once: what `candidateLogProbabilities(promptIds:candidates:)`
/// computes for one prompt, for a whole batch in two packed passes (every prompt, then every multi-token candidate
/// of every prompt), resuming each prompt from the longest shared prefix cache that covers it.
extension Qwen3Model {
    /// Σ log p(candidate | prompt) for each prompt (rows) and candidate (columns); equal to the unbatched scores up
    /// to float rounding.
    public func candidateLogProbabilities(prompts: [[Int]], candidates: [[Int]],
                                          prefixes: [Qwen3PrefixCache] = []) -> [[Double]] {
        precondition(!prompts.isEmpty && prompts.allSatisfy { !$0.isEmpty }, "non-empty prompts")
        precondition(!candidates.isEmpty && candidates.allSatisfy { !$0.isEmpty }, "non-empty candidates")
        // Pass 1: each prompt's remainder after its prefix, logits of its last row.
        let promptSequences = prompts.map { prompt -> Qwen3PackedSequence in
            if let prefix = Qwen3PrefixCache.longest(in: prefixes, covering: prompt) {
                return Qwen3PackedSequence(tokens: Array(prompt.dropFirst(prefix.tokens.count)), cache: prefix.branch())
            }
            return Qwen3PackedSequence(tokens: prompt, cache: Qwen3KVCache(layerCount: layers.count))
        }
        let lastRows = packedForward(promptSequences)
        var scores = lastRows.map { last in
            let firstRow = Self.logSoftmaxRow(last.scalars[...])
            return candidates.map { firstRow($0[0]) }
        }
        // Pass 2: every candidate longer than one token, fed (but its last token) on a copy of its prompt's cache.
        var branches: [(prompt: Int, candidate: Int, sequence: Qwen3PackedSequence)] = []
        for (p, sequence) in promptSequences.enumerated() {
            for (c, candidate) in candidates.enumerated() where candidate.count > 1 {
                let feed = Array(candidate.dropLast())
                branches.append((p, c, Qwen3PackedSequence(tokens: feed, cache: sequence.cache.copy(),
                                                           logitRows: Array(feed.indices))))
            }
        }
        guard !branches.isEmpty else { return scores }
        let logits = packedForward(branches.map(\.sequence))
        let vocab = config.vocabSize
        for (branch, rows) in zip(branches, logits) {
            let candidate = candidates[branch.candidate]
            for i in 1..<candidate.count {
                scores[branch.prompt][branch.candidate] +=
                    Self.logSoftmaxRow(rows.scalars[((i - 1) * vocab)..<(i * vocab)])(candidate[i])
            }
        }
        return scores
    }
}
