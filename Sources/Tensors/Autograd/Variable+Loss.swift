import Foundation

/// The label PyTorch's `cross_entropy` skips by default: positions with this target add no loss and no gradient.
public let ignoreIndex = -100

/// Token-level losses on logits [N, vocab]; softmax is recomputed in backward from the logits rather than stored,
/// so a large vocabulary costs one logits-sized buffer, not two.
extension Variable {
    /// Mean cross-entropy of `logits` [N, V] against `targets` [N], skipping targets equal to `ignoreIndex`
    /// (PyTorch `F.cross_entropy(..., ignore_index=-100, reduction="mean")`). When every target is ignored the
    /// loss is 0 with a zero gradient (PyTorch would return NaN, which would poison a training run).
    public static func crossEntropy(logits: Variable, targets: [Int]) -> Variable {
        let rows = checkedRows(logits, targets)
        let vocab = logits.shape[1]
        let logZ = logSumExpRows(logits.value, rows: rows, vocab: vocab, targets: targets)
        var total = 0.0
        var counted = 0
        logits.value.withUnsafeBufferPointer { lp in
            for r in 0..<rows where targets[r] != ignoreIndex {
                total += Double(logZ[r] - lp[r * vocab + targets[r]])
                counted += 1
            }
        }
        let loss = counted == 0 ? 0 : Float(total / Double(counted))
        return result(Tensor(scalar: loss), parents: [logits]) { g in
            guard counted > 0 else { return }
            let scale = g.scalar / Float(counted)
            logits.accumulate(softmaxMinusOneHot(logits.value, logZ: logZ, targets: targets, rowScales: nil,
                                                 uniformScale: scale))
        }
    }

    /// log p(target) per row of `logits` [N, V] → [N], 0 where the target is `ignoreIndex` (DPO sums these over
    /// the completion tokens of each sequence).
    public static func tokenLogProbabilities(logits: Variable, targets: [Int]) -> Variable {
        let rows = checkedRows(logits, targets)
        let vocab = logits.shape[1]
        let logZ = logSumExpRows(logits.value, rows: rows, vocab: vocab, targets: targets)
        var out = [Float](repeating: 0, count: rows)
        logits.value.withUnsafeBufferPointer { lp in
            for r in 0..<rows where targets[r] != ignoreIndex { out[r] = lp[r * vocab + targets[r]] - logZ[r] }
        }
        return result(Tensor(shape: [rows], scalars: out), parents: [logits]) { g in
            // d log p_t / d logits = onehot(t) − softmax, so the gradient is −g·(softmax − onehot)
            logits.accumulate(softmaxMinusOneHot(logits.value, logZ: logZ, targets: targets,
                                                 rowScales: g.scalars, uniformScale: -1))
        }
    }

    private static func checkedRows(_ logits: Variable, _ targets: [Int]) -> Int {
        precondition(logits.shape.count == 2 && logits.shape[0] == targets.count,
                     "token loss needs logits [N, V] and N targets, got \(logits.shape) and \(targets.count)")
        let vocab = logits.shape[1]
        for t in targets where t != ignoreIndex {
            precondition(t >= 0 && t < vocab, "target \(t) is outside the vocabulary (size \(vocab))")
        }
        return targets.count
    }

    /// log Σ exp over each non-ignored row (0 for ignored rows); rows are spread over the cores (each row is
    /// computed by one thread in a fixed order, so results do not depend on the split).
    private static func logSumExpRows(_ logits: Tensor, rows: Int, vocab: Int, targets: [Int]) -> [Float] {
        var logZ = [Float](repeating: 0, count: rows)
        logits.withUnsafeBufferPointer { lp in
            logZ.withUnsafeMutableBufferPointer { zp in
                nonisolated(unsafe) let source = lp.baseAddress!, out = zp.baseAddress!
                ParallelChunks(count: rows, minimumPerChunk: max(1, 65_536 / max(1, vocab))).run { range in
                    let terms = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
                    defer { terms.deallocate() }
                    for r in range where targets[r] != ignoreIndex {
                        out[r] = Kernels.logSumExp(source + r * vocab, count: vocab, scratch: terms)
                    }
                }
            }
        }
        return logZ
    }

    /// (softmax − onehot(target)) per non-ignored row, times `uniformScale` and the row's scale when given.
    private static func softmaxMinusOneHot(_ logits: Tensor, logZ: [Float], targets: [Int], rowScales: [Float]?,
                                           uniformScale: Float) -> Tensor {
        let (rows, vocab) = (logits.shape[0], logits.shape[1])
        var grad = Tensor.zeros(logits.shape)
        grad.withUnsafeMutableBufferPointer { gp in
            logits.withUnsafeBufferPointer { lp in
                nonisolated(unsafe) let out = gp.baseAddress!, source = lp.baseAddress!
                ParallelChunks(count: rows, minimumPerChunk: max(1, 65_536 / max(1, vocab))).run { range in
                    for r in range where targets[r] != ignoreIndex {
                        let scale = uniformScale * (rowScales?[r] ?? 1)
                        if scale == 0 { continue }
                        let base = r * vocab
                        for j in 0..<vocab { out[base + j] = source[base + j] - logZ[r] }
                        VectorExp.exp(out + base, into: out + base, count: vocab)
                        for j in 0..<vocab { out[base + j] *= scale }
                        out[base + targets[r]] -= scale
                    }
                }
            }
        }
        return grad
    }
}
