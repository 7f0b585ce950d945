/// A LoRA adapter around a frozen base linear, as PEFT's `lora.Linear`:
/// y = base(x) + scaling · B·A·dropout(x), with A [r, in] ~ U(±1/√in) and B [out, r] = 0 at init.
///
/// The base (f32 or NF4) is frozen on wrapping; only A and B collect gradients. Dropout applies to the adapter
/// input only, and only while `isTraining`. `merged()` folds the adapter into an f32 weight.
public final class LoRALinear: LinearLayer {
    /// The wrapped layer (frozen).
    public let base: any LinearLayer
    /// The down projection A [r, in] (`lora_A.weight`).
    public let loraA: Variable
    /// The up projection B [out, r] (`lora_B.weight`).
    public let loraB: Variable
    /// alpha/r (or alpha/√r with rsLoRA).
    public let scaling: Float
    /// Dropout probability on the adapter input.
    public let dropout: Float
    /// Whether dropout is active (training) or the identity (evaluation).
    public var isTraining = false
    private var generator: SeededGenerator

    /// Wraps `base`, freezing its parameters, with A drawn from `generator` as PEFT's kaiming-uniform(a=√5)
    /// (bound = gain·√3/√fan_in = 1/√in) and B zero, so the wrapped layer starts equal to the base.
    public init(base: any LinearLayer, config: LoRAConfig, using generator: inout SeededGenerator) {
        for (_, parameter) in base.namedParameters() { parameter.requiresGrad = false }
        self.base = base
        let bound = 1 / Float(base.inFeatures).squareRoot()
        loraA = Variable(.uniform([config.rank, base.inFeatures], low: -bound, high: bound, using: &generator),
                         requiresGrad: true)
        loraB = Variable(.zeros([base.outFeatures, config.rank]), requiresGrad: true)
        scaling = config.scaling
        dropout = config.dropout
        self.generator = generator.forked(salt: 0x10_0A)
    }

    /// Wraps `base` with given adapter matrices (e.g. loaded from `adapter_model.safetensors`).
    public init(base: any LinearLayer, loraA: Tensor, loraB: Tensor, config: LoRAConfig, seed: UInt64 = 0) {
        precondition(loraA.shape == [config.rank, base.inFeatures] && loraB.shape == [base.outFeatures, config.rank],
                     "LoRA A \(loraA.shape) / B \(loraB.shape) do not fit r=\(config.rank) over \(base.outFeatures)×\(base.inFeatures)")
        for (_, parameter) in base.namedParameters() { parameter.requiresGrad = false }
        self.base = base
        self.loraA = Variable(loraA, requiresGrad: true)
        self.loraB = Variable(loraB, requiresGrad: true)
        scaling = config.scaling
        dropout = config.dropout
        generator = SeededGenerator(seed: seed)
    }

    /// The input width.
    public var inFeatures: Int { base.inFeatures }
    /// The output width.
    public var outFeatures: Int { base.outFeatures }
    /// The adapter rank r.
    public var rank: Int { loraA.shape[0] }

    /// base(x) + scaling · B·A·dropout(x).
    public func callAsFunction(_ x: Variable) -> Variable {
        let adapterInput = isTraining && dropout > 0 ? x.dropout(dropout, using: &generator) : x
        let down = Variable.linear(adapterInput, weight: loraA)
        let up = Variable.linear(down, weight: loraB)
        return base(x) + up * scaling
    }

    /// W + scaling·B·A, over the (dequantized) base weight.
    public func effectiveWeight() -> Tensor {
        var w = base.effectiveWeight()
        Tensor.gemm(loraB.value, loraA.value, transposeA: false, transposeB: false, m: outFeatures, n: inFeatures,
                    k: rank, beta: 1, alpha: scaling, into: &w)
        return w
    }

    /// A plain f32 layer computing the same function (PEFT `merge_and_unload`).
    public func merged() -> DenseLinear { DenseLinear(weight: effectiveWeight(), trainable: false) }

    /// The (frozen) base parameters, then `lora_A.weight` and `lora_B.weight`.
    public func namedParameters() -> [(name: String, variable: Variable)] {
        base.namedParameters() + [("lora_A.weight", loraA), ("lora_B.weight", loraB)]
    }

    /// The dropout generator's state, read and restored by activation checkpointing (`Variable.checkpointed`) so
    /// the recomputed forward draws the same masks as the first.
    public var dropoutState: SeededGenerator {
        get { generator }
        set { generator = newValue }
    }

    /// Restarts the dropout stream (e.g. at the start of a deterministic run).
    public func reseedDropout(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }
}
