import Foundation
import Tensors

/// Supervised fine-tuning with completion-only loss (TRL `SFTTrainer`, `completion_only_loss=True`): only the
/// LoRA factors train (the base is frozen, NF4 in QLoRA), AdamW with cosine warm-up, gradient accumulation, and
/// the validation loss measured every `evalInterval` steps.
public struct SFTTrainer {
    /// The optimisation settings.
    public var schedule: TrainingSchedule
    /// Steps between validation-loss measurements (and after the last step); 0 disables them.
    public var evalInterval: Int
    /// LoRA+ (Hayou et al. 2024; PEFT `create_loraplus_optimizer`'s `loraplus_lr_ratio`): the LoRA B factors
    /// train at this multiple of the learning rate, A at the rate itself; 1 is plain LoRA.
    public var loraPlusRatio: Float

    /// A trainer with `schedule`, validating every `evalInterval` steps.
    public init(schedule: TrainingSchedule, evalInterval: Int, loraPlusRatio: Float = 1) {
        self.schedule = schedule
        self.evalInterval = evalInterval
        self.loraPlusRatio = loraPlusRatio
    }

    /// The training and validation curves of a run.
    public struct Result: Sendable {
        /// Train loss per optimizer step (with the learning rate).
        public var train: LossCurve
        /// Validation loss at each interval.
        public var validation: LossCurve
    }

    /// Trains the adapters of `model` (LoRA already applied) on `examples`, validating on `validation`.
    /// With `replicas` (copies of `model` with the same adapters, `DataParallelReplicas`), each batch is cut into
    /// one shard per model and the shards run at once; each shard's loss is weighted by its share of the batch's
    /// completion tokens, so the step's gradient is the whole batch's.
    public func train(_ model: Qwen3Model, replicas: [Qwen3Model] = [], examples: [CompletionExample],
                      validation: [CompletionExample], padId: Int,
                      progress: (_ step: Int, _ total: Int, _ message: String) -> Void = { _, _, _ in }) throws -> Result {
        guard !examples.isEmpty else { throw TrainingError.badInput(file: "SFT rows", line: nil, problem: "no examples") }
        let trainable = model.namedParameters().filter(\.variable.requiresGrad)
        let parameters = trainable.map(\.variable)
        let isB = { (name: String) in name.hasSuffix("lora_B.weight") }
        let optimizer = AdamW(groups: [
            .init(parameters: trainable.filter { !isB($0.name) }.map(\.variable), weightDecay: schedule.weightDecay),
            .init(parameters: trainable.filter { isB($0.name) }.map(\.variable), weightDecay: schedule.weightDecay,
                  learningRateScale: loraPlusRatio),
        ])
        var sampler = EpochSampler(count: examples.count, seed: schedule.seed)
        var result = Result(train: LossCurve(name: "loss", extraColumns: ["learning_rate"]),
                            validation: LossCurve(name: "val_loss"))
        let group = DataParallelReplicas(primary: model, replicas: replicas)
        let accumulation = Float(schedule.gradientAccumulation)
        for step in 0..<schedule.steps {
            group.setTraining(true)
            var stepLoss = 0.0
            for _ in 0..<schedule.gradientAccumulation {
                let batch = sampler.next(schedule.batchSize).map { examples[$0] }
                let loss = group.backward(batch, divisor: accumulation,
                                          weight: { Float($0.reduce(0) { $0 + $1.completionIds.count }) },
                                          loss: { $0.completionLoss(CompletionBatch($1, padId: padId)) })
                guard loss.isFinite else { throw TrainingError.nonFinite(what: "SFT loss at step \(step + 1)") }
                stepLoss += Double(loss) / Double(schedule.gradientAccumulation)
            }
            clipGradientNorm(parameters, maxNorm: schedule.maxGradNorm)
            let lr = schedule.learningRateSchedule.learningRate(base: schedule.learningRate, atStep: step)
            optimizer.step(learningRate: lr)
            optimizer.zeroGrad()
            result.train.append(step: step + 1, value: stepLoss, extras: [Double(lr)])
            var message = "step \(step + 1) loss \(LossCurve.format(stepLoss))"
            if evalInterval > 0, !validation.isEmpty, (step + 1) % evalInterval == 0 || step + 1 == schedule.steps {
                let value = Self.meanLoss(group, validation, padId: padId, batchSize: schedule.batchSize)
                result.validation.append(step: step + 1, value: value)
                message += " val_loss \(LossCurve.format(value))"
            }
            progress(step + 1, schedule.steps, message)
        }
        group.setTraining(false)
        return result
    }

    /// The completion-token-weighted mean loss over `examples`, without a graph and without dropout.
    public static func meanLoss(_ model: Qwen3Model, _ examples: [CompletionExample], padId: Int, batchSize: Int) -> Double {
        meanLoss(DataParallelReplicas(primary: model, replicas: []), examples, padId: padId, batchSize: batchSize)
    }

    /// The same mean computed by every model of `group` at once (the replicas first given the primary's values):
    /// the batches are shared out, each batch's loss comes from one model and the sum runs in batch order, so the
    /// value does not depend on the number of models.
    ///
    /// Why: validation runs every `evalInterval` steps, and on the primary alone it left the other cores idle.
    public static func meanLoss(_ group: DataParallelReplicas, _ examples: [CompletionExample], padId: Int,
                                batchSize: Int) -> Double {
        let size = max(1, batchSize)
        let batches = stride(from: 0, to: examples.count, by: size).map { Array(examples[$0..<min(examples.count, $0 + size)]) }
        let shards = group.shards(Array(batches.indices))
        let losses = group.run { r, model in
            model.setTraining(false)
            return Variable.withoutGradients {
                shards[r].map { Double(model.completionLoss(CompletionBatch(batches[$0], padId: padId)).value.scalar) }
            }
        }.flatMap { $0 }
        var total = 0.0, tokens = 0
        for (batch, loss) in zip(batches, losses) {
            let n = batch.map(\.completionIds.count).reduce(0, +)
            total += loss * Double(n)
            tokens += n
        }
        return tokens == 0 ? 0 : total / Double(tokens)
    }
}
