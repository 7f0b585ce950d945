import Foundation
import Tensors

/// Verifies a merged checkpoint: its logits on sample sequences must match those of the quantized base with the
/// adapter applied (the model the adapter was trained as) within a tolerance, and be finite.
public struct MergeCheck: Sendable {
    /// The largest allowed |merged − (base + adapter)| over every logit.
    public var tolerance: Double

    /// A check with `tolerance`.
    public init(tolerance: Double) { self.tolerance = tolerance }

    /// The largest absolute logit difference between `merged` and `reference` on `samples`; throws
    /// `TrainingError.mergeMismatch` when it exceeds the tolerance or any logit is not finite.
    @discardableResult
    public func verify(merged: Qwen3Model, reference: Qwen3Model, samples: [[Int]]) throws -> Double {
        precondition(!samples.isEmpty, "the merge check needs at least one sample")
        merged.setTraining(false)
        reference.setTraining(false)
        var worst = 0.0
        for (index, sample) in samples.enumerated() {
            let (a, b) = Variable.withoutGradients { (merged.logits([sample]).value, reference.logits([sample]).value) }
            for i in 0..<a.count {
                let (x, y) = (a[flat: i], b[flat: i])
                guard x.isFinite, y.isFinite else {
                    throw TrainingError.mergeMismatch(maxAbsoluteDifference: .infinity, tolerance: tolerance,
                                                      detail: "sample \(index) has a non-finite logit (merged \(x), base+adapter \(y))")
                }
                worst = max(worst, Double(abs(x - y)))
            }
        }
        guard worst <= tolerance else {
            throw TrainingError.mergeMismatch(maxAbsoluteDifference: worst, tolerance: tolerance,
                                              detail: "over \(samples.count) sample sequences")
        }
        return worst
    }
}
