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

    /// A trainer with `schedule`, validating every `evalInterval` steps.
    public init(schedule: TrainingSchedule, evalInterval: Int) {
        self.schedule = schedule
        self.evalInterval = evalInterval
    }

    /// The training and validation curves of a run.
    public struct Result: Sendable {
        /// Train loss per optimizer step (with the learning rate).
        public var train: LossCurve
        /// Validation loss at each interval.
        public var validation: LossCurve
    }

    /// Trains the adapters of `model` (LoRA already applied) on `examples`, validating on `validation`.
    public func train(_ model: Qwen3Model, examples: [CompletionExample], validation: [CompletionExample], padId: Int,
                      progress: (_ step: Int, _ total: Int, _ message: String) -> Void = { _, _, _ in }) throws -> Result {
        guard !examples.isEmpty else { throw TrainingError.badInput(file: "SFT rows", line: nil, problem: "no examples") }
        let parameters = model.trainableParameters()
        let optimizer = AdamW(parameters: parameters, weightDecay: schedule.weightDecay)
        var sampler = EpochSampler(count: examples.count, seed: schedule.seed)
        var result = Result(train: LossCurve(name: "loss", extraColumns: ["learning_rate"]),
                            validation: LossCurve(name: "val_loss"))
        for step in 0..<schedule.steps {
            model.setTraining(true)
            var stepLoss = 0.0
            for _ in 0..<schedule.gradientAccumulation {
                let batch = CompletionBatch(sampler.next(schedule.batchSize).map { examples[$0] }, padId: padId)
                let loss = model.completionLoss(batch)
                guard loss.value.scalar.isFinite else { throw TrainingError.nonFinite(what: "SFT loss at step \(step + 1)") }
                stepLoss += Double(loss.value.scalar) / Double(schedule.gradientAccumulation)
                (loss * (1 / Float(schedule.gradientAccumulation))).backward()
            }
            clipGradientNorm(parameters, maxNorm: schedule.maxGradNorm)
            let lr = schedule.learningRateSchedule.learningRate(base: schedule.learningRate, atStep: step)
            optimizer.step(learningRate: lr)
            optimizer.zeroGrad()
            result.train.append(step: step + 1, value: stepLoss, extras: [Double(lr)])
            var message = "step \(step + 1) loss \(LossCurve.format(stepLoss))"
            if evalInterval > 0, !validation.isEmpty, (step + 1) % evalInterval == 0 || step + 1 == schedule.steps {
                let value = Self.meanLoss(model, validation, padId: padId, batchSize: schedule.batchSize)
                result.validation.append(step: step + 1, value: value)
                message += " val_loss \(LossCurve.format(value))"
            }
            progress(step + 1, schedule.steps, message)
        }
        model.setTraining(false)
        return result
    }

    /// The completion-token-weighted mean loss over `examples`, without a graph and without dropout.
    public static func meanLoss(_ model: Qwen3Model, _ examples: [CompletionExample], padId: Int, batchSize: Int) -> Double {
        model.setTraining(false)
        return Variable.withoutGradients {
            var total = 0.0, tokens = 0
            for start in stride(from: 0, to: examples.count, by: max(1, batchSize)) {
                let chunk = Array(examples[start..<min(examples.count, start + batchSize)])
                let n = chunk.map(\.completionIds.count).reduce(0, +)
                total += Double(model.completionLoss(CompletionBatch(chunk, padId: padId)).value.scalar) * Double(n)
                tokens += n
            }
            return tokens == 0 ? 0 : total / Double(tokens)
        }
    }
}
