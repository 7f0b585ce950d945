import Foundation

/// A learning-rate multiplier per optimizer step, matching the `transformers` schedule functions.
public enum LearningRateSchedule: Sendable, Equatable {
    /// 1 at every step (`get_constant_schedule`).
    case constant
    /// Linear warm-up from 0 over `warmupSteps`, then 1 (`get_constant_schedule_with_warmup`).
    case constantWithWarmup(warmupSteps: Int)
    /// Linear warm-up, then a cosine from 1 to 0 over the remaining steps
    /// (`get_cosine_schedule_with_warmup`, `num_cycles` 0.5 by default).
    case cosineWithWarmup(warmupSteps: Int, totalSteps: Int, cycles: Double = 0.5)
    /// Linear warm-up, then linear decay to 0 at `totalSteps` (`get_linear_schedule_with_warmup`).
    case linearWithWarmup(warmupSteps: Int, totalSteps: Int)

    /// The multiplier at zero-based `step` (the value `LambdaLR` uses for the step-th optimizer step).
    public func multiplier(atStep step: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case .constantWithWarmup(let warmup):
            return step < warmup ? Double(step) / Double(max(1, warmup)) : 1
        case .cosineWithWarmup(let warmup, let total, let cycles):
            if step < warmup { return Double(step) / Double(max(1, warmup)) }
            let progress = Double(step - warmup) / Double(max(1, total - warmup))
            return max(0, 0.5 * (1 + Foundation.cos(Double.pi * cycles * 2 * progress)))
        case .linearWithWarmup(let warmup, let total):
            if step < warmup { return Double(step) / Double(max(1, warmup)) }
            return max(0, Double(total - step) / Double(max(1, total - warmup)))
        }
    }

    /// `baseRate` times the multiplier at `step`.
    public func learningRate(base baseRate: Float, atStep step: Int) -> Float {
        Float(Double(baseRate) * multiplier(atStep: step))
    }
}
