import Tensors

/// One pre-norm Qwen3 decoder layer: h = x + attn(rmsnorm(x)); out = h + mlp(rmsnorm(h)).
public final class Qwen3DecoderLayer {
    /// `input_layernorm.weight` [hidden].
    public let inputLayerNorm: Variable
    /// `self_attn`.
    public let selfAttention: Qwen3Attention
    /// `post_attention_layernorm.weight` [hidden].
    public let postAttentionLayerNorm: Variable
    /// `mlp`.
    public let mlp: Qwen3MLP

    /// The seven projection paths inside a layer, in Hugging Face order and naming.
    public static let projectionPaths = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                                         "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"]

    /// Assembles the layer from its parts.
    public init(inputLayerNorm: Variable, selfAttention: Qwen3Attention, postAttentionLayerNorm: Variable,
                mlp: Qwen3MLP) {
        self.inputLayerNorm = inputLayerNorm
        self.selfAttention = selfAttention
        self.postAttentionLayerNorm = postAttentionLayerNorm
        self.mlp = mlp
    }

    /// The projection at `path` (one of `projectionPaths`), readable and replaceable (to wrap it with LoRA).
    public subscript(projection path: String) -> any LinearLayer {
        get {
            switch path {
            case "self_attn.q_proj": selfAttention.qProj
            case "self_attn.k_proj": selfAttention.kProj
            case "self_attn.v_proj": selfAttention.vProj
            case "self_attn.o_proj": selfAttention.oProj
            case "mlp.gate_proj": mlp.gateProj
            case "mlp.up_proj": mlp.upProj
            case "mlp.down_proj": mlp.downProj
            default: preconditionFailure("no projection \(path) in a Qwen3 layer")
            }
        }
        set {
            switch path {
            case "self_attn.q_proj": selfAttention.qProj = newValue
            case "self_attn.k_proj": selfAttention.kProj = newValue
            case "self_attn.v_proj": selfAttention.vProj = newValue
            case "self_attn.o_proj": selfAttention.oProj = newValue
            case "mlp.gate_proj": mlp.gateProj = newValue
            case "mlp.up_proj": mlp.upProj = newValue
            case "mlp.down_proj": mlp.downProj = newValue
            default: preconditionFailure("no projection \(path) in a Qwen3 layer")
            }
        }
    }

    /// x [B·T, hidden] → [B·T, hidden].
    func callAsFunction(_ x: Variable, batch: Int, positions: [Int], cache: Qwen3KVCache?, index: Int,
                        eps: Float) -> Variable {
        let h = x + selfAttention(x.rmsNorm(weight: inputLayerNorm, eps: eps), batch: batch, positions: positions,
                                  cache: cache, layer: index)
        return h + mlp(h.rmsNorm(weight: postAttentionLayerNorm, eps: eps))
    }

    /// Parameters named as in the HF state dict relative to the layer (`self_attn.q_proj.weight`, …).
    func namedParameters() -> [(name: String, variable: Variable)] {
        var out: [(name: String, variable: Variable)] = [("input_layernorm.weight", inputLayerNorm)]
        for path in Self.projectionPaths {
            out += self[projection: path].namedParameters().map { ("\(path).\($0.name)", $0.variable) }
        }
        out.append(("self_attn.q_norm.weight", selfAttention.qNorm))
        out.append(("self_attn.k_norm.weight", selfAttention.kNorm))
        out.append(("post_attention_layernorm.weight", postAttentionLayerNorm))
        return out
    }
}
