import Foundation

/// AdamW as `torch.optim.AdamW`: decoupled weight decay (θ ← θ·(1 − lr·λ)), then the Adam step with bias
/// correction, θ ← θ − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε). Defaults are PyTorch's.
public final class AdamW {
    /// A set of parameters sharing one weight decay (e.g. norms and biases are often excluded from decay).
    public struct ParameterGroup {
        /// The parameters updated with this group's decay.
        public var parameters: [Variable]
        /// The decoupled weight-decay coefficient λ.
        public var weightDecay: Float
        /// This group's learning rate as a multiple of the one passed to `step` (LoRA+ trains B faster than A).
        public var learningRateScale: Float
        /// A group of `parameters` decayed by `weightDecay`, stepped at `learningRateScale` × the step's rate.
        public init(parameters: [Variable], weightDecay: Float, learningRateScale: Float = 1) {
            self.parameters = parameters
            self.weightDecay = weightDecay
            self.learningRateScale = learningRateScale
        }
    }

    /// The parameter groups, in the order given.
    public let groups: [ParameterGroup]
    /// β₁, β₂.
    public let betas: (Float, Float)
    /// ε added to the denominator.
    public let eps: Float
    /// The number of steps taken (t in the bias corrections).
    public private(set) var stepCount = 0
    private var firstMoments: [[Float]]
    private var secondMoments: [[Float]]

    /// An optimizer over `groups`.
    public init(groups: [ParameterGroup], betas: (Float, Float) = (0.9, 0.999), eps: Float = 1e-8) {
        self.groups = groups
        self.betas = betas
        self.eps = eps
        let all = groups.flatMap(\.parameters)
        firstMoments = all.map { [Float](repeating: 0, count: $0.value.count) }
        secondMoments = firstMoments
    }

    /// An optimizer over `parameters`, all decayed by `weightDecay` (PyTorch's default 0.01).
    public convenience init(parameters: [Variable], weightDecay: Float = 0.01, betas: (Float, Float) = (0.9, 0.999),
                            eps: Float = 1e-8) {
        self.init(groups: [ParameterGroup(parameters: parameters, weightDecay: weightDecay)], betas: betas, eps: eps)
    }

    /// Updates every parameter that has a gradient with learning rate `learningRate` times its group's scale.
    /// Parameters without a gradient are skipped (as PyTorch skips `p.grad is None`). Gradients are left in
    /// place; call `zeroGrad()`.
    public func step(learningRate baseRate: Float) {
        stepCount += 1
        let (b1, b2) = betas
        let t = Float(stepCount)
        let biasCorrection1 = 1 - Foundation.pow(b1, t)
        let biasCorrection2Root = (1 - Foundation.pow(b2, t)).squareRoot()
        var index = 0
        for group in groups {
            let lr = baseRate * group.learningRateScale
            let stepSize = lr / biasCorrection1
            let decay = 1 - lr * group.weightDecay
            for parameter in group.parameters {
                defer { index += 1 }
                guard let grad = parameter.grad else { continue }
                firstMoments[index].withUnsafeMutableBufferPointer { m in
                    secondMoments[index].withUnsafeMutableBufferPointer { v in
                        grad.withUnsafeBufferPointer { g in
                            parameter.value.withUnsafeMutableBufferPointer { p in
                                for i in 0..<p.count {
                                    p[i] *= decay
                                    m[i] = b1 * m[i] + (1 - b1) * g[i]
                                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                                    let denominator = v[i].squareRoot() / biasCorrection2Root + eps
                                    p[i] -= stepSize * m[i] / denominator
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Clears every parameter's gradient.
    public func zeroGrad() {
        for group in groups { for parameter in group.parameters { parameter.zeroGrad() } }
    }
}
