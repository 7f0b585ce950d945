import Foundation
import Tensors

/// Scoring fixed continuations of one prompt (constrained choice): the prompt runs once into a KV cache and each
/// candidate branches from a copy of it, so three label words cost one prompt pass plus a few tokens.
extension Qwen3Model {
    /// Σ log p(candidate tokens | prompt) for each non-empty candidate, without a graph or dropout.
    public func candidateLogProbabilities(promptIds: [Int], candidates: [[Int]]) -> [Double] {
        precondition(!promptIds.isEmpty && candidates.allSatisfy { !$0.isEmpty }, "non-empty prompt and candidates")
        setTraining(false)
        return Variable.withoutGradients {
            let cache = Qwen3KVCache(layerCount: layers.count)
            let start = promptIds.count
            let last = forward(promptIds, batch: 1, positions: Array(0..<start), cache: cache, lastRowOnly: true).value
            let firstRow = Self.logSoftmaxRow(last.scalars[...])
            return candidates.map { candidate in
                var total = firstRow(candidate[0])
                guard candidate.count > 1 else { return total }
                let feed = Array(candidate.dropLast())
                let logits = forward(feed, batch: 1, positions: Array(start..<(start + feed.count)), cache: cache.copy()).value
                let vocab = logits.shape[1]
                for i in 1..<candidate.count {
                    total += Self.logSoftmaxRow(logits.scalars[((i - 1) * vocab)..<(i * vocab)])(candidate[i])
                }
                return total
            }
        }
    }

    /// A lookup of log-softmax values for one row of logits.
    static func logSoftmaxRow(_ row: ArraySlice<Float>) -> (Int) -> Double {
        let m = Double(row.max() ?? 0)
        let logZ = m + log(row.reduce(0.0) { $0 + exp(Double($1) - m) })
        let base = row.startIndex
        return { Double(row[base + $0]) - logZ }
    }
}
