/// The LoRA hyper-parameters, with PEFT's meanings and defaults for a causal LM.
public struct LoRAConfig: Sendable, Equatable, Codable {
    /// The adapter rank r (PEFT `r`).
    public var rank: Int
    /// The scaling numerator (PEFT `lora_alpha`).
    public var alpha: Float
    /// Dropout probability on the adapter input (PEFT `lora_dropout`).
    public var dropout: Float
    /// Module names to wrap (PEFT `target_modules`), matched against the last component of a projection's path.
    public var targetModules: [String]
    /// Scale by alpha/√r instead of alpha/r (PEFT `use_rslora`).
    public var useRSLoRA: Bool

    /// The seven Qwen projections PEFT's `all-linear` picks for a Qwen3 decoder.
    public static let allQwenProjections = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                            "down_proj"]

    /// A configuration; defaults are PEFT's (r 8, alpha 8, no dropout) over all seven projections.
    public init(rank: Int = 8, alpha: Float = 8, dropout: Float = 0,
                targetModules: [String] = LoRAConfig.allQwenProjections, useRSLoRA: Bool = false) {
        precondition(rank > 0, "LoRA rank must be positive, got \(rank)")
        precondition(dropout >= 0 && dropout < 1, "LoRA dropout must be in [0, 1), got \(dropout)")
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targetModules = targetModules
        self.useRSLoRA = useRSLoRA
    }

    /// The factor applied to B·A·x: alpha/r, or alpha/√r with rsLoRA.
    public var scaling: Float { useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank) }

    /// Whether a module called `name` (e.g. `q_proj`) gets an adapter.
    public func targets(_ name: String) -> Bool { targetModules.contains(name) }

    enum CodingKeys: String, CodingKey {
        case rank = "r", alpha = "lora_alpha", dropout = "lora_dropout", targetModules = "target_modules"
        case useRSLoRA = "use_rslora"
    }
}
