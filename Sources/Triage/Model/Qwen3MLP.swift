import Tensors

/// The Qwen3 SwiGLU feed-forward block: down_proj(silu(gate_proj(x)) · up_proj(x)). No biases.
public final class Qwen3MLP {
    /// `gate_proj` [intermediate, hidden].
    public var gateProj: any LinearLayer
    /// `up_proj` [intermediate, hidden].
    public var upProj: any LinearLayer
    /// `down_proj` [hidden, intermediate].
    public var downProj: any LinearLayer

    /// Assembles the block from its three projections.
    public init(gateProj: any LinearLayer, upProj: any LinearLayer, downProj: any LinearLayer) {
        self.gateProj = gateProj
        self.upProj = upProj
        self.downProj = downProj
    }

    /// x [N, hidden] → [N, hidden].
    func callAsFunction(_ x: Variable) -> Variable {
        downProj(gateProj(x).silu() * upProj(x))
    }
}
