import Foundation

/// The sigmoid DPO loss of TRL's `DPOTrainer` (`loss_type="sigmoid"`, no label smoothing) on summed completion
/// log-probabilities, with the metrics TRL logs and the gradients with respect to the policy terms.
///
/// logits = (π_c − π_r) − (ref_c − ref_r); loss = mean(−log σ(β·logits));
/// rewards/chosen = mean β(π_c − ref_c), rewards/rejected = mean β(π_r − ref_r),
/// rewards/accuracies = mean[β(π_c − ref_c) > β(π_r − ref_r)], rewards/margins = mean of their difference.
///
/// With `rpoAlpha` > 0 the loss adds α · nll, TRL's `rpo_alpha` (RPO, Pang et al. 2024): nll is the mean negative
/// log-likelihood of the chosen completions per token, `−Σπ_c / chosen tokens`. Why: the sigmoid loss only
/// widens the chosen–rejected gap, and on a three-label task the mass it takes from the rejected label can flow
/// to the third one; the NLL term keeps the chosen completion likely.
public struct DPOLoss: Sendable, Equatable {
    /// The mean loss over the batch.
    public var loss: Double
    /// `rewards/chosen`.
    public var rewardsChosen: Double
    /// `rewards/rejected`.
    public var rewardsRejected: Double
    /// `rewards/accuracies`.
    public var rewardsAccuracies: Double
    /// `rewards/margins`.
    public var rewardsMargins: Double
    /// The chosen completions' mean negative log-likelihood per token (TRL `nll_loss`); 0 without chosen tokens.
    public var nll: Double
    /// d loss / d π_c per pair.
    public var gradientChosen: [Float]
    /// d loss / d π_r per pair.
    public var gradientRejected: [Float]

    /// Computes the loss for B pairs of summed log-probabilities under the policy and the reference.
    public init(policyChosen: [Float], policyRejected: [Float], referenceChosen: [Float], referenceRejected: [Float],
                beta: Double, rpoAlpha: Double = 0, chosenTokens: Int = 0) {
        let n = policyChosen.count
        precondition(n > 0 && policyRejected.count == n && referenceChosen.count == n && referenceRejected.count == n,
                     "DPO needs the same positive number of chosen and rejected terms")
        var loss = 0.0, chosen = 0.0, rejected = 0.0, correct = 0.0
        var gc = [Float](repeating: 0, count: n), gr = gc
        for i in 0..<n {
            let rc = beta * Double(policyChosen[i] - referenceChosen[i])
            let rr = beta * Double(policyRejected[i] - referenceRejected[i])
            let z = rc - rr
            loss += Self.softplus(-z)                                // −log σ(z)
            let weight = Self.sigmoid(-z) * beta / Double(n)           // −d loss/d z · β / n
            gc[i] = Float(-weight)
            gr[i] = Float(weight)
            chosen += rc
            rejected += rr
            if rc > rr { correct += 1 }
        }
        let policyChosenSum = policyChosen.reduce(0.0) { $0 + Double($1) }
        nll = chosenTokens > 0 ? -policyChosenSum / Double(chosenTokens) : 0
        if rpoAlpha > 0, chosenTokens > 0 {
            let step = Float(rpoAlpha / Double(chosenTokens))    // d(α·nll)/dπ_c for every pair
            for i in 0..<n { gc[i] -= step }
        }
        self.loss = loss / Double(n) + rpoAlpha * nll
        rewardsChosen = chosen / Double(n)
        rewardsRejected = rejected / Double(n)
        rewardsAccuracies = correct / Double(n)
        rewardsMargins = (chosen - rejected) / Double(n)
        gradientChosen = gc
        gradientRejected = gr
    }

    /// log(1 + eᶻ) without overflow.
    static func softplus(_ z: Double) -> Double { z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)) }
    /// σ(z) without overflow.
    static func sigmoid(_ z: Double) -> Double { z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)) }
}
