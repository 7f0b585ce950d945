import Foundation
import Tensors

/// Direct preference optimisation (TRL `DPOTrainer`, sigmoid loss): the policy is the NF4 base with the SFT
/// adapter (trainable), the reference the frozen SFT model, whose summed completion log-probabilities are
/// computed once before training (TRL's `precompute_ref_log_probs`; the reference never changes).
public struct DPOTrainer {
    /// The optimisation settings (`batchSize` counts pairs).
    public var schedule: TrainingSchedule
    /// DPO's β.
    public var beta: Double
    /// Weight of the chosen completions' NLL added to the loss (TRL `rpo_alpha`); 0 is plain DPO.
    public var rpoAlpha: Double

    /// A trainer with `schedule`, `beta` and `rpoAlpha`.
    public init(schedule: TrainingSchedule, beta: Double, rpoAlpha: Double = 0) {
        self.schedule = schedule
        self.beta = beta
        self.rpoAlpha = rpoAlpha
    }

    /// A chosen and a rejected completion of one prompt.
    public typealias Pair = (chosen: CompletionExample, rejected: CompletionExample)

    /// Per-step loss with the four reward metrics TRL logs.
    public static func newCurve() -> LossCurve {
        LossCurve(name: "loss", extraColumns: ["rewards_chosen", "rewards_rejected", "rewards_accuracies",
                                               "rewards_margins", "learning_rate", "nll_loss"])
    }

    /// Summed completion log-probabilities of every chosen and rejected completion under `model` (no graph).
    public static func logProbabilities(_ model: Qwen3Model, _ pairs: [Pair], padId: Int, batchSize: Int)
        -> (chosen: [Float], rejected: [Float]) {
        model.setTraining(false)
        return Variable.withoutGradients {
            var chosen: [Float] = [], rejected: [Float] = []
            for start in stride(from: 0, to: pairs.count, by: max(1, batchSize)) {
                let chunk = pairs[start..<min(pairs.count, start + batchSize)]
                let sums = model.completionLogProbabilities(
                    CompletionBatch(chunk.map(\.chosen) + chunk.map(\.rejected), padId: padId)).value.scalars
                chosen += sums[0..<chunk.count]
                rejected += sums[chunk.count...]
            }
            return (chosen, rejected)
        }
    }

    /// `logProbabilities` with the pairs cut into one contiguous shard per model of `group`, the shards computed at
    /// once (one core each) and joined in pair order. Why: the reference pass over every pair used one core of two
    /// and cost as much as a third of the stage; with the replicas DPO loads anyway it takes half the time, which
    /// pays for scoring the mined records (`DPOPairMiner`). Deterministic for a given replica count.
    public static func logProbabilities(_ group: DataParallelReplicas, _ pairs: [Pair], padId: Int, batchSize: Int)
        -> (chosen: [Float], rejected: [Float]) {
        let shards = group.shards(pairs)
        let parts = group.run { r, model in logProbabilities(model, shards[r], padId: padId, batchSize: batchSize) }
        return (parts.flatMap(\.chosen), parts.flatMap(\.rejected))
    }

    /// Trains the adapters of `model` on `pairs` against the reference log-probabilities `reference`
    /// (from `logProbabilities` on the SFT model before training). With `replicas` (copies of `model` with the
    /// same adapters, `DataParallelReplicas`), each batch's pairs are shared out among the models: their policy
    /// log-probabilities are computed at once, the loss over the whole batch, and each model back-propagates its
    /// pairs' part of the loss gradient.
    public func train(_ model: Qwen3Model, replicas: [Qwen3Model] = [], pairs: [Pair],
                      reference: (chosen: [Float], rejected: [Float]), padId: Int,
                      progress: (_ step: Int, _ total: Int, _ message: String) -> Void = { _, _, _ in }) throws -> LossCurve {
        guard !pairs.isEmpty else { throw TrainingError.badInput(file: "DPO rows", line: nil, problem: "no pairs") }
        let parameters = model.trainableParameters()
        let optimizer = AdamW(parameters: parameters, weightDecay: schedule.weightDecay)
        var sampler = EpochSampler(count: pairs.count, seed: schedule.seed)
        var curve = Self.newCurve()
        let group = DataParallelReplicas(primary: model, replicas: replicas)
        group.setTraining(true)
        for step in 0..<schedule.steps {
            var sums = [Double](repeating: 0, count: 6)
            for _ in 0..<schedule.gradientAccumulation {
                let picked = sampler.next(schedule.batchSize)
                let shards = group.shards(picked)
                // Each model's policy log-probabilities over its pairs: chosen first, then rejected.
                let policies = group.run { r, replica -> Variable? in
                    guard !shards[r].isEmpty else { return nil }
                    return replica.completionLogProbabilities(
                        CompletionBatch(shards[r].map { pairs[$0].chosen } + shards[r].map { pairs[$0].rejected }, padId: padId))
                }
                var policyChosen: [Float] = [], policyRejected: [Float] = []
                for (shard, policy) in zip(shards, policies) {
                    guard let values = policy?.value.scalars else { continue }
                    policyChosen += values[0..<shard.count]
                    policyRejected += values[shard.count...]
                }
                let loss = DPOLoss(policyChosen: policyChosen, policyRejected: policyRejected,
                                   referenceChosen: picked.map { reference.chosen[$0] },
                                   referenceRejected: picked.map { reference.rejected[$0] }, beta: beta,
                                   rpoAlpha: rpoAlpha,
                                   chosenTokens: picked.reduce(0) { $0 + pairs[$1].chosen.completionIds.count })
                guard loss.loss.isFinite else { throw TrainingError.nonFinite(what: "DPO loss at step \(step + 1)") }
                let scale = 1 / Float(schedule.gradientAccumulation)
                let offsets = shards.reduce(into: [0]) { $0.append($0.last! + $1.count) }
                _ = group.run(syncing: false) { r, _ in
                    guard let policy = policies[r] else { return }
                    let range = offsets[r]..<offsets[r + 1]
                    policy.backward(seed: Tensor(shape: [2 * range.count],
                                                 scalars: (loss.gradientChosen[range] + loss.gradientRejected[range]).map { $0 * scale }))
                }
                for (i, v) in [loss.loss, loss.rewardsChosen, loss.rewardsRejected, loss.rewardsAccuracies,
                               loss.rewardsMargins, loss.nll].enumerated() {
                    sums[i] += v / Double(schedule.gradientAccumulation)
                }
            }
            clipGradientNorm(parameters, maxNorm: schedule.maxGradNorm)
            let lr = schedule.learningRateSchedule.learningRate(base: schedule.learningRate, atStep: step)
            optimizer.step(learningRate: lr)
            optimizer.zeroGrad()
            curve.append(step: step + 1, value: sums[0], extras: Array(sums[1...4]) + [Double(lr), sums[5]])
            progress(step + 1, schedule.steps,
                     "step \(step + 1) loss \(LossCurve.format(sums[0])) accuracy \(LossCurve.format(sums[3]))")
        }
        group.setTraining(false)
        return curve
    }
}
