import Tensors

/// How the seven projections of each layer are stored when a model is built.
public enum Qwen3ProjectionFormat: Sendable, Equatable {
    /// f32 weights; `trainable` for full training (pretraining), frozen otherwise.
    case dense(trainable: Bool)
    /// Frozen 4-bit NF4 weights quantized on load, bitsandbytes-style (QLoRA's base); the embedding, norms and
    /// LM head stay f32 and frozen, as with `BitsAndBytesConfig(load_in_4bit=True)`.
    case nf4(blocksize: Int = 64, doubleQuant: Bool = true)
}

/// A Qwen3 causal language model (`Qwen3ForCausalLM`) on the Tensors library: token embedding, decoder layers,
/// final RMSNorm and the LM head (tied to the embedding unless the checkpoint has `lm_head.weight`).
///
/// Parameters carry Hugging Face names (`namedParameters()`), so checkpoints and PEFT adapters map one to one.
public final class Qwen3Model {
    /// The configuration the model was built from.
    public let config: Qwen3Config
    /// `model.embed_tokens.weight` [vocab, hidden].
    public let embedTokens: Variable
    /// `model.layers.N`.
    public let layers: [Qwen3DecoderLayer]
    /// `model.norm.weight` [hidden].
    public let norm: Variable
    /// `lm_head`: shares `embedTokens` when tied.
    public var lmHead: any LinearLayer
    /// Activation checkpointing per decoder layer (transformers' `gradient_checkpointing`): a training forward
    /// keeps only each layer's input and recomputes the layer in the backward pass (`Variable.checkpointed`).
    /// Same values and gradients, less memory, one more forward of the decoder per step. Off by default.
    public var gradientCheckpointing = false

    /// Assembles a model from its parts.
    public init(config: Qwen3Config, embedTokens: Variable, layers: [Qwen3DecoderLayer], norm: Variable,
                lmHead: (any LinearLayer)?) {
        self.config = config
        self.embedTokens = embedTokens
        self.layers = layers
        self.norm = norm
        self.lmHead = lmHead ?? DenseLinear(sharing: embedTokens)
    }

    /// Whether `lm_head` is the embedding matrix itself.
    public var hasTiedEmbeddings: Bool {
        (lmHead as? DenseLinear)?.weight === embedTokens
    }

    // MARK: Forward

    /// Logits [B·T, vocab] for equal-length token sequences (row b·T + t predicts the token after position t).
    public func logits(_ inputIds: [[Int]]) -> Variable {
        let (flat, batch, length) = Self.flatten(inputIds)
        return forward(flat, batch: batch, positions: Array(0..<length), cache: nil)
    }

    /// Runs the decoder on `flat` tokens ([B·T], row-major) at absolute `positions` [T] → logits [B·T, vocab].
    /// With `lastRowOnly` (generation, no graph) only the final position's logits are computed → [1, vocab],
    /// sparing the LM head over the whole prompt.
    func forward(_ flat: [Int], batch: Int, positions: [Int], cache: Qwen3KVCache?,
                 lastRowOnly: Bool = false) -> Variable {
        var h = Variable.embedding(flat, table: embedTokens)
        for index in layers.indices {
            h = decoderLayer(index, h, batch: batch, positions: positions, cache: cache)
        }
        cache?.advance(by: positions.count)
        if lastRowOnly {
            precondition(!h.requiresGrad, "lastRowOnly is for inference without a graph")
            let hidden = config.hiddenSize
            h = Variable(Tensor(shape: [1, hidden], scalars: Array(h.value.scalars[(h.value.count - hidden)...])))
        }
        return lmHead(h.rmsNorm(weight: norm, eps: config.rmsNormEps))
    }

    /// The mean next-token cross-entropy as `Qwen3ForCausalLM(labels=…)`: logits at t are scored against
    /// labels[t+1]; labels equal to -100 (prompt, padding) are ignored.
    public func causalLanguageModelLoss(inputIds: [[Int]], labels: [[Int]]) -> Variable {
        Variable.crossEntropy(logits: logits(inputIds), targets: Self.shiftedTargets(labels, like: inputIds))
    }

    /// Σ log p(label[t+1] | ≤ t) per sequence over the non-ignored labels → [B] (the DPO policy/reference terms).
    public func sequenceLogProbabilities(inputIds: [[Int]], labels: [[Int]]) -> Variable {
        let (_, batch, length) = Self.flatten(inputIds)
        let perToken = Variable.tokenLogProbabilities(logits: logits(inputIds),
                                                      targets: Self.shiftedTargets(labels, like: inputIds))
        return perToken.reshaped([batch, length]).sumLastAxis()
    }

    static func flatten(_ sequences: [[Int]]) -> (flat: [Int], batch: Int, length: Int) {
        precondition(!sequences.isEmpty, "a batch needs at least one sequence")
        let length = sequences[0].count
        precondition(length > 0 && sequences.allSatisfy { $0.count == length },
                     "sequences in a batch must be non-empty and of equal length (pad them)")
        return (sequences.flatMap { $0 }, sequences.count, length)
    }

    /// Targets for each position: the next label, and -100 at each sequence's last position.
    static func shiftedTargets(_ labels: [[Int]], like inputIds: [[Int]]) -> [Int] {
        precondition(labels.count == inputIds.count && zip(labels, inputIds).allSatisfy { $0.count == $1.count },
                     "labels must have the shape of input_ids")
        return labels.flatMap { Array($0.dropFirst()) + [ignoreIndex] }
    }

    // MARK: Parameters

    /// Every parameter under its Hugging Face state-dict name (LoRA factors as `….q_proj.lora_A.weight`);
    /// a tied head is not listed twice.
    public func namedParameters() -> [(name: String, variable: Variable)] {
        var out: [(name: String, variable: Variable)] = [("model.embed_tokens.weight", embedTokens)]
        for (i, layer) in layers.enumerated() {
            out += layer.namedParameters().map { ("model.layers.\(i).\($0.name)", $0.variable) }
        }
        out.append(("model.norm.weight", norm))
        if !hasTiedEmbeddings {
            out += lmHead.namedParameters().map { ("lm_head.\($0.name)", $0.variable) }
        }
        return out
    }

    /// The parameters that collect gradients (all for pretraining; only adapters after `applyLoRA`).
    public func trainableParameters() -> [Variable] {
        namedParameters().map(\.variable).filter(\.requiresGrad)
    }

    /// The f32 checkpoint as Hugging Face names it: adapters merged into their projections, quantized
    /// projections dequantized, `lm_head.weight` only when untied.
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = ["model.embed_tokens.weight": embedTokens.value, "model.norm.weight": norm.value]
        for (i, layer) in layers.enumerated() {
            let prefix = "model.layers.\(i)."
            out[prefix + "input_layernorm.weight"] = layer.inputLayerNorm.value
            out[prefix + "post_attention_layernorm.weight"] = layer.postAttentionLayerNorm.value
            out[prefix + "self_attn.q_norm.weight"] = layer.selfAttention.qNorm.value
            out[prefix + "self_attn.k_norm.weight"] = layer.selfAttention.kNorm.value
            for path in Qwen3DecoderLayer.projectionPaths {
                out[prefix + path + ".weight"] = layer[projection: path].effectiveWeight()
            }
        }
        if !hasTiedEmbeddings { out["lm_head.weight"] = lmHead.effectiveWeight() }
        return out
    }
}
