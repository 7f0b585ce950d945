import Tensors

/// Qwen3 self-attention: q/k/v projections, per-head RMSNorm on q and k (QK-norm) BEFORE RoPE, grouped-query
/// causal attention, and the output projection. No biases.
public final class Qwen3Attention {
    /// `q_proj` [heads·head_dim, hidden].
    public var qProj: any LinearLayer
    /// `k_proj` [kv_heads·head_dim, hidden].
    public var kProj: any LinearLayer
    /// `v_proj` [kv_heads·head_dim, hidden].
    public var vProj: any LinearLayer
    /// `o_proj` [hidden, heads·head_dim].
    public var oProj: any LinearLayer
    /// `q_norm.weight` [head_dim].
    public let qNorm: Variable
    /// `k_norm.weight` [head_dim].
    public let kNorm: Variable
    let config: Qwen3Config

    /// Assembles the block from its parts.
    public init(config: Qwen3Config, qProj: any LinearLayer, kProj: any LinearLayer, vProj: any LinearLayer,
                oProj: any LinearLayer, qNorm: Variable, kNorm: Variable) {
        self.config = config
        self.qProj = qProj
        self.kProj = kProj
        self.vProj = vProj
        self.oProj = oProj
        self.qNorm = qNorm
        self.kNorm = kNorm
    }

    /// x [B·T, hidden] at absolute `positions` [T] → [B·T, hidden]; with a cache, keys and values of earlier
    /// positions are read from it and this step's are appended.
    func callAsFunction(_ x: Variable, batch: Int, positions: [Int], cache: Qwen3KVCache?, layer: Int) -> Variable {
        let t = positions.count
        let (heads, kvHeads, d) = (config.numAttentionHeads, config.numKeyValueHeads, config.headDim)
        let eps = config.rmsNormEps, theta = config.ropeTheta
        let q = qProj(x).reshaped([batch, t, heads, d]).rmsNorm(weight: qNorm, eps: eps)
            .rotaryEmbedding(positions: positions, theta: theta)
        var k = kProj(x).reshaped([batch, t, kvHeads, d]).rmsNorm(weight: kNorm, eps: eps)
            .rotaryEmbedding(positions: positions, theta: theta)
        var v = vProj(x).reshaped([batch, t, kvHeads, d])
        if let cache {
            let all = cache.append(layer: layer, keys: k.value, values: v.value)
            k = Variable(all.keys)
            v = Variable(all.values)
        }
        let attended = Variable.causalAttention(query: q, key: k, value: v)
        return oProj(attended.reshaped([batch * t, heads * d]))
    }
}
