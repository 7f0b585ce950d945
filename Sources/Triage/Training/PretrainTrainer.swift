import Foundation
import Tensors

/// Full-parameter causal-LM pretraining of a small Qwen3 on a token stream cut into fixed-length blocks
/// (transformers' `group_texts`), with AdamW, cosine warm-up, gradient accumulation and clipping.
public struct PretrainTrainer {
    /// The optimisation settings.
    public var schedule: TrainingSchedule
    /// Tokens per training block.
    public var blockLength: Int

    /// A trainer with `schedule` over blocks of `blockLength` tokens.
    public init(schedule: TrainingSchedule, blockLength: Int) {
        self.schedule = schedule
        self.blockLength = blockLength
    }

    /// Consecutive non-overlapping blocks of the stream (the tail shorter than a block is dropped).
    public static func blocks(of stream: [Int], length: Int) -> [[Int]] {
        stride(from: 0, to: stream.count - length + 1, by: length).map { Array(stream[$0..<($0 + length)]) }
    }

    /// Trains `model` in place on `stream`; returns the loss of every optimizer step. Throws when the stream is
    /// shorter than one block or the loss diverges. With `replicas` (models of the same configuration), each
    /// batch's blocks are shared out among the models and run at once (`DataParallelReplicas`), each shard's loss
    /// weighted by its share of the blocks.
    public func train(_ model: Qwen3Model, replicas: [Qwen3Model] = [], stream: [Int],
                      progress: (_ step: Int, _ total: Int, _ loss: Double) -> Void = { _, _, _ in }) throws -> LossCurve {
        let blocks = Self.blocks(of: stream, length: blockLength)
        guard !blocks.isEmpty else {
            throw TrainingError.badInput(file: "training text", line: nil,
                                         problem: "\(stream.count) tokens is less than one block of \(blockLength)")
        }
        let parameters = model.trainableParameters()
        let optimizer = AdamW(parameters: parameters, weightDecay: schedule.weightDecay)
        var sampler = EpochSampler(count: blocks.count, seed: schedule.seed)
        var curve = LossCurve(name: "loss", extraColumns: ["learning_rate"])
        let group = DataParallelReplicas(primary: model, replicas: replicas)
        let accumulation = Float(schedule.gradientAccumulation)
        for step in 0..<schedule.steps {
            var stepLoss = 0.0
            for _ in 0..<schedule.gradientAccumulation {
                let batch = sampler.next(schedule.batchSize).map { blocks[$0] }
                let loss = group.backward(batch, divisor: accumulation, weight: { Float($0.count) },
                                          loss: { $0.causalLanguageModelLoss(inputIds: $1, labels: $1) })
                guard loss.isFinite else { throw TrainingError.nonFinite(what: "pretraining loss at step \(step)") }
                stepLoss += Double(loss) / Double(schedule.gradientAccumulation)
            }
            clipGradientNorm(parameters, maxNorm: schedule.maxGradNorm)
            let lr = schedule.learningRateSchedule.learningRate(base: schedule.learningRate, atStep: step)
            optimizer.step(learningRate: lr)
            optimizer.zeroGrad()
            curve.append(step: step + 1, value: stepLoss, extras: [Double(lr)])
            progress(step + 1, schedule.steps, stepLoss)
        }
        return curve
    }
}
