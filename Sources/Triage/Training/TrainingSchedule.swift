import Tensors

/// The optimisation settings shared by the trainers: steps, batch, accumulation, AdamW and the cosine schedule.
public struct TrainingSchedule: Sendable, Equatable {
    /// Optimizer steps.
    public var steps: Int
    /// Sequences (or pairs) per micro-batch.
    public var batchSize: Int
    /// Micro-batches per optimizer step.
    public var gradientAccumulation: Int
    /// Peak AdamW learning rate.
    public var learningRate: Float
    /// Linear warm-up steps before the cosine decay.
    public var warmupSteps: Int
    /// AdamW decoupled weight decay.
    public var weightDecay: Float
    /// Global gradient-norm clip (transformers' `max_grad_norm`, 1.0).
    public var maxGradNorm: Float
    /// Seed of data order, initialisation and dropout.
    public var seed: UInt64

    /// A schedule; defaults follow transformers' TrainingArguments where it has them.
    public init(steps: Int, batchSize: Int, gradientAccumulation: Int = 1, learningRate: Float, warmupSteps: Int = 0,
                weightDecay: Float = 0, maxGradNorm: Float = 1, seed: UInt64 = 0) {
        self.steps = steps
        self.batchSize = batchSize
        self.gradientAccumulation = gradientAccumulation
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
        self.weightDecay = weightDecay
        self.maxGradNorm = maxGradNorm
        self.seed = seed
    }

    /// `get_cosine_schedule_with_warmup` over `steps`.
    public var learningRateSchedule: LearningRateSchedule {
        .cosineWithWarmup(warmupSteps: warmupSteps, totalSteps: steps)
    }
}

/// A seeded endless walk over `count` items in shuffled epochs, so every item is seen once per epoch.
public struct EpochSampler: Sendable {
    private var order: [Int] = []
    private var position = 0
    private var generator: SeededGenerator
    /// The number of items.
    public let count: Int

    /// A sampler over `count` ≥ 1 items.
    public init(count: Int, seed: UInt64) {
        precondition(count > 0, "nothing to sample")
        self.count = count
        generator = SeededGenerator(seed: seed)
    }

    /// The next `n` item indices.
    public mutating func next(_ n: Int) -> [Int] {
        var out: [Int] = []
        while out.count < n {
            if position == order.count {
                order = Array(0..<count)
                order.shuffle(using: &generator)
                position = 0
            }
            out.append(order[position])
            position += 1
        }
        return out
    }
}
