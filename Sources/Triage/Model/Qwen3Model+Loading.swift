import Tensors

extension Qwen3Model {
    /// Builds a model from Hugging Face-named f32 weights (bf16/f16 checkpoints already upcast by the reader).
    /// Every weight the config implies must be present with the implied shape; `lm_head.weight` is required
    /// when `tie_word_embeddings` is false and ignored when true. `source` names the checkpoint in errors.
    ///
    /// `quantizedProjections` holds projections already stored as NF4 (from a bitsandbytes checkpoint), keyed by
    /// weight name (`model.layers.0.self_attn.q_proj.weight`); they stay 4-bit under `.nf4` and are dequantized
    /// under `.dense`.
    public convenience init(config: Qwen3Config, weights: [String: Tensor], source: String = "checkpoint",
                            projections: Qwen3ProjectionFormat = .dense(trainable: true),
                            quantizedProjections: [String: NF4Weight] = [:]) throws {
        try config.validate()
        let (hidden, inter) = (config.hiddenSize, config.intermediateSize)
        let (qWidth, kvWidth) = (config.numAttentionHeads * config.headDim, config.numKeyValueHeads * config.headDim)
        let trainable: Bool
        switch projections {
        case .dense(let t): trainable = t
        case .nf4: trainable = false
        }

        func tensor(_ name: String, _ shape: [Int]) throws -> Tensor {
            guard let t = weights[name] else { throw Qwen3ModelError.missingWeight(name: name, source: source) }
            guard t.shape == shape else {
                throw Qwen3ModelError.weightShapeMismatch(name: name, expected: shape, found: t.shape, source: source)
            }
            return t
        }
        func parameter(_ name: String, _ shape: [Int]) throws -> Variable {
            Variable(try tensor(name, shape), requiresGrad: trainable)
        }
        func projection(_ name: String, out: Int, in inFeatures: Int) throws -> any LinearLayer {
            if let quantized = quantizedProjections[name] {
                guard quantized.rows == out, quantized.cols == inFeatures else {
                    throw Qwen3ModelError.weightShapeMismatch(name: name, expected: [out, inFeatures],
                                                              found: [quantized.rows, quantized.cols], source: source)
                }
                switch projections {
                case .dense(let trainable):
                    return DenseLinear(weight: Tensor(shape: [out, inFeatures], scalars: quantized.dequantize()),
                                       trainable: trainable)
                case .nf4: return NF4Linear(weight: quantized)
                }
            }
            let weight = try tensor(name, [out, inFeatures])
            switch projections {
            case .dense(let trainable): return DenseLinear(weight: weight, trainable: trainable)
            case let .nf4(blocksize, doubleQuant):
                return NF4Linear(quantizing: weight, blocksize: blocksize, doubleQuant: doubleQuant)
            }
        }

        let embed = try parameter("model.embed_tokens.weight", [config.vocabSize, hidden])
        var layers: [Qwen3DecoderLayer] = []
        for i in 0..<config.numHiddenLayers {
            let p = "model.layers.\(i)."
            let attention = Qwen3Attention(
                config: config,
                qProj: try projection(p + "self_attn.q_proj.weight", out: qWidth, in: hidden),
                kProj: try projection(p + "self_attn.k_proj.weight", out: kvWidth, in: hidden),
                vProj: try projection(p + "self_attn.v_proj.weight", out: kvWidth, in: hidden),
                oProj: try projection(p + "self_attn.o_proj.weight", out: hidden, in: qWidth),
                qNorm: try parameter(p + "self_attn.q_norm.weight", [config.headDim]),
                kNorm: try parameter(p + "self_attn.k_norm.weight", [config.headDim]))
            let mlp = Qwen3MLP(gateProj: try projection(p + "mlp.gate_proj.weight", out: inter, in: hidden),
                               upProj: try projection(p + "mlp.up_proj.weight", out: inter, in: hidden),
                               downProj: try projection(p + "mlp.down_proj.weight", out: hidden, in: inter))
            layers.append(Qwen3DecoderLayer(inputLayerNorm: try parameter(p + "input_layernorm.weight", [hidden]),
                                            selfAttention: attention,
                                            postAttentionLayerNorm: try parameter(p + "post_attention_layernorm.weight",
                                                                                  [hidden]),
                                            mlp: mlp))
        }
        let norm = try parameter("model.norm.weight", [hidden])
        // Tied: the head is the embedding (a stored `lm_head.weight` is the same matrix and is not read).
        // Untied: the checkpoint must carry its own head.
        var head: (any LinearLayer)?
        if !config.tieWordEmbeddings {
            head = DenseLinear(weight: try tensor("lm_head.weight", [config.vocabSize, hidden]), trainable: trainable)
        }
        self.init(config: config, embedTokens: embed, layers: layers, norm: norm, lmHead: head)
    }

    /// A freshly initialised model as `transformers` initialises Qwen3 (`_init_weights`): every linear and the
    /// embedding ~ N(0, initializer_range²), norms at 1; deterministic for `seed`.
    public convenience init(randomlyInitialized config: Qwen3Config, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let std = config.initializerRange
        let (hidden, inter) = (config.hiddenSize, config.intermediateSize)
        let (qWidth, kvWidth) = (config.numAttentionHeads * config.headDim, config.numKeyValueHeads * config.headDim)
        var weights: [String: Tensor] = [
            "model.embed_tokens.weight": .normal([config.vocabSize, hidden], std: std, using: &generator),
            "model.norm.weight": Tensor(shape: [hidden], repeating: 1),
        ]
        for i in 0..<config.numHiddenLayers {
            let p = "model.layers.\(i)."
            let shapes: [(String, [Int])] = [
                ("self_attn.q_proj", [qWidth, hidden]), ("self_attn.k_proj", [kvWidth, hidden]),
                ("self_attn.v_proj", [kvWidth, hidden]), ("self_attn.o_proj", [hidden, qWidth]),
                ("mlp.gate_proj", [inter, hidden]), ("mlp.up_proj", [inter, hidden]), ("mlp.down_proj", [hidden, inter]),
            ]
            for (path, shape) in shapes { weights[p + path + ".weight"] = .normal(shape, std: std, using: &generator) }
            weights[p + "input_layernorm.weight"] = Tensor(shape: [hidden], repeating: 1)
            weights[p + "post_attention_layernorm.weight"] = Tensor(shape: [hidden], repeating: 1)
            weights[p + "self_attn.q_norm.weight"] = Tensor(shape: [config.headDim], repeating: 1)
            weights[p + "self_attn.k_norm.weight"] = Tensor(shape: [config.headDim], repeating: 1)
        }
        if !config.tieWordEmbeddings {
            weights["lm_head.weight"] = .normal([config.vocabSize, hidden], std: std, using: &generator)
        }
        // The weights were generated to fit the config, so loading them cannot fail.
        try! self.init(config: config, weights: weights, source: "random initialisation")
    }
}
