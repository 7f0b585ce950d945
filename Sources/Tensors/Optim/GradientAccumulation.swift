/// Gradient accumulation over `microSteps` micro-batches per optimizer step, as `transformers`' Trainer:
/// each micro-batch loss is scaled by 1/microSteps before `backward()` (gradients add up on the leaves), and the
/// optimizer steps after every `microSteps`-th micro-batch.
public struct GradientAccumulation: Sendable, Equatable {
    /// Micro-batches per optimizer step (`gradient_accumulation_steps`).
    public let microSteps: Int
    /// Micro-batches seen since the last optimizer step.
    public private(set) var pending = 0

    /// Accumulates over `microSteps` ≥ 1 micro-batches.
    public init(microSteps: Int) {
        precondition(microSteps >= 1, "gradient accumulation needs at least one micro-step, got \(microSteps)")
        self.microSteps = microSteps
    }

    /// The factor each micro-batch loss is multiplied by before `backward()`.
    public var lossScale: Float { 1 / Float(microSteps) }

    /// Records one finished micro-batch; true when the optimizer should step now.
    public mutating func recordMicroStep() -> Bool {
        pending += 1
        if pending == microSteps {
            pending = 0
            return true
        }
        return false
    }
}
