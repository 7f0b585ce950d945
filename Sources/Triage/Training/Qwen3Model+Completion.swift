import Tensors

/// Completion-only forward passes: the decoder runs over every position but the LM head only over the rows that
/// predict a completion token, which is all SFT, DPO and scoring need (the head is the widest matmul of a small
/// model, and a prompt is ~50 times longer than its completion).
extension Qwen3Model {
    /// Final hidden states [B·T, hidden] before the last norm, for equal-length sequences.
    func hiddenStates(_ inputIds: [[Int]]) -> (hidden: Variable, length: Int) {
        let (flat, batch, length) = Self.flatten(inputIds)
        var h = Variable.embedding(flat, table: embedTokens)
        let positions = Array(0..<length)
        for index in layers.indices {
            h = decoderLayer(index, h, batch: batch, positions: positions, cache: nil)
        }
        return (h, length)
    }

    /// Logits [N, vocab] of the N rows whose next label is not ignored, their targets, and the sequence each row
    /// belongs to. Equal to the matching rows of `logits(_:)`.
    public func completionLogits(_ batch: CompletionBatch) -> (logits: Variable, targets: [Int], sequence: [Int]) {
        let (hidden, length) = hiddenStates(batch.inputIds)
        let shifted = Self.shiftedTargets(batch.labels, like: batch.inputIds)
        let rows = shifted.indices.filter { shifted[$0] != ignoreIndex }
        precondition(!rows.isEmpty, "the batch has no completion tokens to score")
        let picked = Variable.embedding(rows, table: hidden)            // a row gather with a scatter-add backward
        let logits = lmHead(picked.rmsNorm(weight: norm, eps: config.rmsNormEps))
        return (logits, rows.map { shifted[$0] }, rows.map { $0 / length })
    }

    /// The mean cross-entropy over completion tokens (TRL SFT with `completion_only_loss`).
    public func completionLoss(_ batch: CompletionBatch) -> Variable {
        let (logits, targets, _) = completionLogits(batch)
        return Variable.crossEntropy(logits: logits, targets: targets)
    }

    /// Σ log p(completion token) per sequence → [B] (DPO's `chosen_logps` / `rejected_logps`).
    public func completionLogProbabilities(_ batch: CompletionBatch) -> Variable {
        let (logits, targets, sequence) = completionLogits(batch)
        let perToken = Variable.tokenLogProbabilities(logits: logits, targets: targets)
        // Sum rows per sequence as a [B, N] indicator matrix times the [N, 1] column (autograd passes through).
        var indicator = [Float](repeating: 0, count: batch.count * targets.count)
        for (row, s) in sequence.enumerated() { indicator[s * targets.count + row] = 1 }
        let sums = Variable.matmul(Variable(Tensor(shape: [batch.count, targets.count], scalars: indicator)),
                                   perToken.reshaped([targets.count, 1]))
        return sums.reshaped([batch.count])
    }
}
