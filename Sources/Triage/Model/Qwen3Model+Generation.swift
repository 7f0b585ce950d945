import Tensors

extension Qwen3Model {
    /// Greedy decoding: appends the arg-max token until `maxNewTokens` or a stop token (included in the output).
    /// With `useCache` each step feeds only the newest token through a `Qwen3KVCache`; without it every step
    /// re-runs the whole sequence (the reference the cache is tested against). No graph is recorded.
    public func generateGreedy(prompt: [Int], maxNewTokens: Int, stopTokens: Set<Int> = [],
                               useCache: Bool = true) -> [Int] {
        precondition(!prompt.isEmpty, "generation needs a non-empty prompt")
        return Variable.withoutGradients {
            var tokens = prompt
            var generated: [Int] = []
            let cache = useCache ? Qwen3KVCache(layerCount: layers.count) : nil
            var pending = prompt
            for _ in 0..<maxNewTokens {
                let logits: Tensor
                if let cache {
                    let positions = Array(cache.length..<(cache.length + pending.count))
                    logits = forward(pending, batch: 1, positions: positions, cache: cache, lastRowOnly: true).value
                } else {
                    // The reference path: full logits for the whole sequence, arg-max of the last row.
                    logits = forward(tokens, batch: 1, positions: Array(0..<tokens.count), cache: nil).value
                }
                let next = Self.argmaxOfLastRow(logits)
                generated.append(next)
                tokens.append(next)
                pending = [next]
                if stopTokens.contains(next) { break }
            }
            return generated
        }
    }

    /// The index of the largest logit in the last row (the lowest index on ties, like `torch.argmax`).
    public static func argmaxOfLastRow(_ logits: Tensor) -> Int {
        let vocab = logits.shape[1]
        let base = logits.count - vocab
        var best = 0
        var bestValue = -Float.infinity
        for j in 0..<vocab where logits[flat: base + j] > bestValue {
            bestValue = logits[flat: base + j]
            best = j
        }
        return best
    }
}
