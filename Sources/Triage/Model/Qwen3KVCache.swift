import Tensors

/// Keys and values of every layer for the positions already processed, so greedy generation feeds one new token
/// per step instead of the whole sequence. Keys are stored after QK-norm and RoPE, as [B, T, kv_heads, head_dim].
public final class Qwen3KVCache {
    private(set) var keys: [Tensor?]
    private(set) var values: [Tensor?]
    /// The number of positions cached (the position of the next token).
    public private(set) var length = 0

    /// An empty cache for a model with `layerCount` layers.
    public init(layerCount: Int) {
        keys = Array(repeating: nil, count: layerCount)
        values = Array(repeating: nil, count: layerCount)
    }

    /// Appends this step's keys and values for `layer` and returns the full cached keys and values.
    func append(layer: Int, keys newKeys: Tensor, values newValues: Tensor) -> (keys: Tensor, values: Tensor) {
        let k = keys[layer].map { Self.concatenateTokens($0, newKeys) } ?? newKeys
        let v = values[layer].map { Self.concatenateTokens($0, newValues) } ?? newValues
        keys[layer] = k
        values[layer] = v
        return (k, v)
    }

    /// An independent cache holding the same positions, so several continuations can branch from one prompt.
    public func copy() -> Qwen3KVCache {
        let other = Qwen3KVCache(layerCount: keys.count)
        other.keys = keys
        other.values = values
        other.length = length
        return other
    }

    /// Marks `count` more positions as cached (called once per forward step, after every layer appended).
    func advance(by count: Int) { length += count }

    /// Joins [B, T1, H, D] and [B, T2, H, D] along the token axis.
    static func concatenateTokens(_ a: Tensor, _ b: Tensor) -> Tensor {
        let batch = a.shape[0], rowA = a.count / batch, rowB = b.count / batch
        var out = [Float]()
        out.reserveCapacity(a.count + b.count)
        for i in 0..<batch {
            out.append(contentsOf: a.scalars[(i * rowA)..<((i + 1) * rowA)])
            out.append(contentsOf: b.scalars[(i * rowB)..<((i + 1) * rowB)])
        }
        return Tensor(shape: [batch, a.shape[1] + b.shape[1], a.shape[2], a.shape[3]], scalars: out)
    }
}
