/// A bias-free linear map y = x · Wᵀ, x [..., in] → [..., out]: what every transformer projection is.
///
/// A projection can be a trainable or frozen f32 `DenseLinear`, a frozen 4-bit `NF4Linear`, or a `LoRALinear`
/// wrapping either; models hold `any LinearLayer` so one code path serves pretraining, QLoRA and inference.
public protocol LinearLayer: AnyObject {
    /// The input width (`in_features`).
    var inFeatures: Int { get }
    /// The output width (`out_features`).
    var outFeatures: Int { get }
    /// Applies the layer to x [..., in].
    func callAsFunction(_ x: Variable) -> Variable
    /// The effective weight [out, in] in f32 (dequantized, with any adapter merged in).
    func effectiveWeight() -> Tensor
    /// The layer's parameters, named as in a Hugging Face / PEFT state dict relative to the layer
    /// (`weight`, `lora_A.weight`, `lora_B.weight`). Quantized weights are not listed (they have no f32 variable).
    func namedParameters() -> [(name: String, variable: Variable)]
}

/// A linear layer over an f32 weight [out, in], trainable or frozen.
public final class DenseLinear: LinearLayer {
    /// The weight [out, in] (`weight` in the state dict).
    public let weight: Variable

    /// Uses an existing variable as the weight (tied embeddings share one variable with `lm_head`).
    public init(sharing weight: Variable) {
        precondition(weight.shape.count == 2, "DenseLinear weight must be [out, in], got \(weight.shape)")
        self.weight = weight
    }

    /// Wraps `weight` [out, in]; `trainable` decides whether it collects gradients.
    public init(weight: Tensor, trainable: Bool = true) {
        precondition(weight.rank == 2, "DenseLinear weight must be [out, in], got \(weight.shape)")
        self.weight = Variable(weight, requiresGrad: trainable)
    }

    /// A layer initialised as `torch.nn.Linear` does (kaiming-uniform a=√5, i.e. U(±1/√in)).
    public convenience init(inFeatures: Int, outFeatures: Int, using generator: inout SeededGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        self.init(weight: .uniform([outFeatures, inFeatures], low: -bound, high: bound, using: &generator))
    }

    /// The input width.
    public var inFeatures: Int { weight.shape[1] }
    /// The output width.
    public var outFeatures: Int { weight.shape[0] }
    /// y = x · Wᵀ for x [..., in].
    public func callAsFunction(_ x: Variable) -> Variable { .linear(x, weight: weight) }
    /// The f32 weight [out, in] this layer computes with.
    public func effectiveWeight() -> Tensor { weight.value }
    /// The parameters under their state-dict names relative to the layer.
    public func namedParameters() -> [(name: String, variable: Variable)] { [("weight", weight)] }
}
