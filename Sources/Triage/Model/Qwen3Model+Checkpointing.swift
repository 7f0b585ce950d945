import Tensors

/// Activation checkpointing of the decoder layers (`gradientCheckpointing`).
extension Qwen3Model {
    /// Decoder layer `index` applied to `h`. With `gradientCheckpointing` and no KV cache (a training forward) the
    /// layer runs through `Variable.checkpointed`; its LoRA dropout generators are put back to where they stood
    /// before the first pass when the backward recomputes it, so both passes draw the same masks and the streams
    /// end where an unchecked forward leaves them.
    func decoderLayer(_ index: Int, _ h: Variable, batch: Int, positions: [Int], cache: Qwen3KVCache?) -> Variable {
        let layer = layers[index]
        let eps = config.rmsNormEps
        guard gradientCheckpointing, cache == nil else {
            return layer(h, batch: batch, positions: positions, cache: cache, index: index, eps: eps)
        }
        let adapters = Qwen3DecoderLayer.projectionPaths.compactMap { layer[projection: $0] as? LoRALinear }
        let before = adapters.map(\.dropoutState)
        var passes = 0
        return Variable.checkpointed(h, parameters: layer.namedParameters().map(\.variable)) { input in
            if passes > 0 { for (adapter, state) in zip(adapters, before) { adapter.dropoutState = state } }
            passes += 1
            return layer(input, batch: batch, positions: positions, cache: nil, index: index, eps: eps)
        }
    }
}
