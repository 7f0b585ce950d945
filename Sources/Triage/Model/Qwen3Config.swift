import Foundation

/// The Hugging Face `config.json` of a Qwen3 causal LM (`model_type` "qwen3"), decoded with the same defaults
/// as `transformers.Qwen3Config` for optional keys.
public struct Qwen3Config: Codable, Sendable, Equatable {
    /// Width of the residual stream (`hidden_size`).
    public var hiddenSize: Int
    /// Width of the SwiGLU MLP (`intermediate_size`).
    public var intermediateSize: Int
    /// Number of decoder layers (`num_hidden_layers`).
    public var numHiddenLayers: Int
    /// Query heads (`num_attention_heads`).
    public var numAttentionHeads: Int
    /// Key/value heads (`num_key_value_heads`); query heads share them in groups (GQA).
    public var numKeyValueHeads: Int
    /// Per-head width (`head_dim`; Qwen3 sets it explicitly, default hidden/heads).
    public var headDim: Int
    /// RMSNorm epsilon (`rms_norm_eps`, default 1e-6).
    public var rmsNormEps: Float
    /// RoPE base θ (`rope_theta`, default 10000; Qwen3 uses 1e6).
    public var ropeTheta: Float
    /// Vocabulary size (`vocab_size`).
    public var vocabSize: Int
    /// Whether `lm_head` reuses `embed_tokens` (`tie_word_embeddings`, default false).
    public var tieWordEmbeddings: Bool
    /// Longest position the model was trained for (`max_position_embeddings`, default 32768).
    public var maxPositionEmbeddings: Int
    /// Storage dtype of the released weights (`torch_dtype`, e.g. "bfloat16"); weights are upcast to f32 on load.
    public var torchDtype: String?
    /// Std of the normal initialisation (`initializer_range`, default 0.02).
    public var initializerRange: Float
    /// Beginning-of-sequence token (`bos_token_id`).
    public var bosTokenId: Int?
    /// End-of-sequence tokens (`eos_token_id`, an int or a list in HF configs).
    public var eosTokenIds: [Int]

    /// A configuration; `headDim` defaults to hiddenSize / numAttentionHeads.
    public init(hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                numKeyValueHeads: Int, headDim: Int? = nil, rmsNormEps: Float = 1e-6, ropeTheta: Float = 1_000_000,
                vocabSize: Int, tieWordEmbeddings: Bool = true, maxPositionEmbeddings: Int = 32768,
                torchDtype: String? = "float32", initializerRange: Float = 0.02, bosTokenId: Int? = nil,
                eosTokenIds: [Int] = []) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads
        self.headDim = headDim ?? hiddenSize / max(1, numAttentionHeads)
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.vocabSize = vocabSize
        self.tieWordEmbeddings = tieWordEmbeddings
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.torchDtype = torchDtype
        self.initializerRange = initializerRange
        self.bosTokenId = bosTokenId
        self.eosTokenIds = eosTokenIds
    }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads", headDim = "head_dim", rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta", vocabSize = "vocab_size", tieWordEmbeddings = "tie_word_embeddings"
        case maxPositionEmbeddings = "max_position_embeddings", torchDtype = "torch_dtype"
        case initializerRange = "initializer_range", bosTokenId = "bos_token_id", eosTokenIds = "eos_token_id"
        case modelType = "model_type", architectures, hiddenAct = "hidden_act", attentionBias = "attention_bias"
        case ropeScaling = "rope_scaling", useSlidingWindow = "use_sliding_window"
        case ropeParameters = "rope_parameters", dtype
    }

    /// transformers ≥ 5 writes RoPE settings as `rope_parameters: {rope_type, rope_theta}`.
    struct RopeParameters: Decodable {
        var ropeType: String?
        var ropeTheta: Float?
        enum CodingKeys: String, CodingKey { case ropeType = "rope_type", ropeTheta = "rope_theta" }
    }

    /// Decodes the Hugging Face JSON form, with its defaults for absent keys.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads) ?? numAttentionHeads
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim) ?? hiddenSize / max(1, numAttentionHeads)
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        let ropeParameters = try c.decodeIfPresent(RopeParameters.self, forKey: .ropeParameters)
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? ropeParameters?.ropeTheta ?? 10_000
        if let type = ropeParameters?.ropeType, type != "default" {
            throw Qwen3ModelError.unsupportedConfig(file: "config.json", key: "rope_parameters.rope_type",
                                                    problem: "RoPE type \"\(type)\" (only \"default\")")
        }
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 32768
        torchDtype = try c.decodeIfPresent(String.self, forKey: .torchDtype)
            ?? c.decodeIfPresent(String.self, forKey: .dtype)
        initializerRange = try c.decodeIfPresent(Float.self, forKey: .initializerRange) ?? 0.02
        bosTokenId = try c.decodeIfPresent(Int.self, forKey: .bosTokenId)
        if let single = try? c.decodeIfPresent(Int.self, forKey: .eosTokenIds) {
            eosTokenIds = [single]
        } else {
            eosTokenIds = try c.decodeIfPresent([Int].self, forKey: .eosTokenIds) ?? []
        }
        if let type = try c.decodeIfPresent(String.self, forKey: .modelType), type != "qwen3" {
            throw Qwen3ModelError.unsupportedConfig(file: "config.json", key: "model_type",
                                                    problem: "model_type is \"\(type)\", expected \"qwen3\"")
        }
        if let act = try c.decodeIfPresent(String.self, forKey: .hiddenAct), act != "silu" {
            throw Qwen3ModelError.unsupportedConfig(file: "config.json", key: "hidden_act",
                                                    problem: "activation \"\(act)\" (only silu)")
        }
        if try c.decodeIfPresent(Bool.self, forKey: .attentionBias) == true {
            throw Qwen3ModelError.unsupportedConfig(file: "config.json", key: "attention_bias",
                                                    problem: "attention biases are not implemented")
        }
        if try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) == true {
            throw Qwen3ModelError.unsupportedConfig(file: "config.json", key: "use_sliding_window",
                                                    problem: "sliding-window attention is not implemented")
        }
        if c.contains(.ropeScaling), try !c.decodeNil(forKey: .ropeScaling) {
            throw Qwen3ModelError.unsupportedConfig(file: "config.json", key: "rope_scaling",
                                                    problem: "RoPE scaling is not implemented")
        }
        try validate()
    }

    /// Encodes the Hugging Face JSON form (keys in a fixed order once sorted).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(["Qwen3ForCausalLM"], forKey: .architectures)
        try c.encode(false, forKey: .attentionBias)
        try c.encodeIfPresent(bosTokenId, forKey: .bosTokenId)
        if eosTokenIds.count == 1 { try c.encode(eosTokenIds[0], forKey: .eosTokenIds) }
        else if !eosTokenIds.isEmpty { try c.encode(eosTokenIds, forKey: .eosTokenIds) }
        try c.encode(headDim, forKey: .headDim)
        try c.encode("silu", forKey: .hiddenAct)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(initializerRange, forKey: .initializerRange)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode("qwen3", forKey: .modelType)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numKeyValueHeads, forKey: .numKeyValueHeads)
        try c.encode(rmsNormEps, forKey: .rmsNormEps)
        try c.encodeNil(forKey: .ropeScaling)
        try c.encode(ropeTheta, forKey: .ropeTheta)
        try c.encode(tieWordEmbeddings, forKey: .tieWordEmbeddings)
        try c.encodeIfPresent(torchDtype, forKey: .torchDtype)
        try c.encode(false, forKey: .useSlidingWindow)
        try c.encode(vocabSize, forKey: .vocabSize)
    }

    /// Checks the sizes fit together (positive, heads divide evenly, head_dim even for RoPE).
    public func validate(file: String = "config.json") throws {
        func require(_ ok: Bool, _ key: String, _ problem: String) throws {
            if !ok { throw Qwen3ModelError.invalidConfig(file: file, key: key, problem: problem) }
        }
        try require(hiddenSize > 0, "hidden_size", "must be positive, got \(hiddenSize)")
        try require(intermediateSize > 0, "intermediate_size", "must be positive, got \(intermediateSize)")
        try require(numHiddenLayers > 0, "num_hidden_layers", "must be positive, got \(numHiddenLayers)")
        try require(numAttentionHeads > 0, "num_attention_heads", "must be positive, got \(numAttentionHeads)")
        try require(numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0, "num_key_value_heads",
                    "must divide num_attention_heads (\(numAttentionHeads)), got \(numKeyValueHeads)")
        try require(headDim > 0 && headDim % 2 == 0, "head_dim", "must be positive and even (RoPE), got \(headDim)")
        try require(vocabSize > 0, "vocab_size", "must be positive, got \(vocabSize)")
        try require(rmsNormEps > 0, "rms_norm_eps", "must be positive, got \(rmsNormEps)")
        try require(ropeTheta > 0, "rope_theta", "must be positive, got \(ropeTheta)")
    }

    /// Reads and validates `config.json` at `url`.
    public static func load(from url: URL) throws -> Qwen3Config {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw Qwen3ModelError.invalidConfig(file: url.path, key: "", problem: "cannot read the file (\(error))")
        }
        do {
            let config = try JSONDecoder().decode(Qwen3Config.self, from: data)
            try config.validate(file: url.path)
            return config
        } catch let error as Qwen3ModelError {
            switch error {
            case let .invalidConfig(_, key, problem):
                throw Qwen3ModelError.invalidConfig(file: url.path, key: key, problem: problem)
            case let .unsupportedConfig(_, key, problem):
                throw Qwen3ModelError.unsupportedConfig(file: url.path, key: key, problem: problem)
            default: throw error
            }
        } catch let DecodingError.keyNotFound(key, _) {
            throw Qwen3ModelError.invalidConfig(file: url.path, key: key.stringValue, problem: "required key is missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw Qwen3ModelError.invalidConfig(file: url.path, key: context.codingPath.map(\.stringValue).joined(separator: "."),
                                                problem: "expected a value of type \(type)")
        } catch {
            throw Qwen3ModelError.invalidConfig(file: url.path, key: "", problem: "not valid JSON (\(error))")
        }
    }
}
