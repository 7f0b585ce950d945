import StageKit

/// The `pretrain` section of params.yaml; every field has a default so the stage also runs by hand.
struct PretrainParameters: StageParameters {
    static let section = "pretrain"

    /// The training split whose texts are the pretraining corpus.
    var train = "data/split/train.jsonl"
    /// The tokenizer (the tokenize stage's output); copied next to the weights.
    var tokenizer = "data/tokenized/tokenizer.json"
    /// The base model directory written (config.json, model.safetensors, tokenizer.json).
    var output = "models/base"
    /// The metrics file.
    var metrics = "reports/pretrain.json"
    /// The loss curve (CSV plot data).
    var lossCurve = "reports/pretrain_loss.csv"
    /// An existing Hugging Face Qwen3 checkpoint directory to use as the base instead of training one (null: train).
    var checkpoint: String? = nil
    /// Architecture of the model trained from scratch.
    var hiddenSize = 128, intermediateSize = 384, layers = 2, heads = 4, kvHeads = 2
    /// Tokens per training block (and the model's max_position_embeddings).
    var seqLen = 192
    /// Optimisation.
    var steps = 2000, batchSize = 8, gradientAccumulation = 1, warmupSteps = 20
    var lr = 3e-3, weightDecay = 0.01
    /// Seed of initialisation and data order.
    var seed = 0
    /// Model replicas that each run a shard of every batch at once (`DataParallelReplicas`): 2 uses both cores of
    /// the reference machine. Results depend on it (sums regroup), so it is a parameter, not the core count.
    var dataParallel = 2
    /// Whether each pretraining document ends with the record's rationale (docs/training.md).
    var rationales = true

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case train, tokenizer, output, metrics, checkpoint, layers, heads, steps, lr, seed, rationales
        case lossCurve = "loss_curve", hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case kvHeads = "kv_heads", seqLen = "seq_len", batchSize = "batch_size"
        case gradientAccumulation = "gradient_accumulation", warmupSteps = "warmup_steps", weightDecay = "weight_decay"
        case dataParallel = "data_parallel"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        train = try c.value(forKey: .train, default: d.train)
        tokenizer = try c.value(forKey: .tokenizer, default: d.tokenizer)
        output = try c.value(forKey: .output, default: d.output)
        metrics = try c.value(forKey: .metrics, default: d.metrics)
        lossCurve = try c.value(forKey: .lossCurve, default: d.lossCurve)
        checkpoint = try c.decodeIfPresent(String.self, forKey: .checkpoint)
        hiddenSize = try c.value(forKey: .hiddenSize, default: d.hiddenSize)
        intermediateSize = try c.value(forKey: .intermediateSize, default: d.intermediateSize)
        layers = try c.value(forKey: .layers, default: d.layers)
        heads = try c.value(forKey: .heads, default: d.heads)
        kvHeads = try c.value(forKey: .kvHeads, default: d.kvHeads)
        seqLen = try c.value(forKey: .seqLen, default: d.seqLen)
        steps = try c.value(forKey: .steps, default: d.steps)
        batchSize = try c.value(forKey: .batchSize, default: d.batchSize)
        gradientAccumulation = try c.value(forKey: .gradientAccumulation, default: d.gradientAccumulation)
        warmupSteps = try c.value(forKey: .warmupSteps, default: d.warmupSteps)
        lr = try c.value(forKey: .lr, default: d.lr)
        weightDecay = try c.value(forKey: .weightDecay, default: d.weightDecay)
        seed = try c.value(forKey: .seed, default: d.seed)
        dataParallel = try c.value(forKey: .dataParallel, default: d.dataParallel)
        rationales = try c.value(forKey: .rationales, default: d.rationales)
        for (key, value) in [("hidden_size", hiddenSize), ("intermediate_size", intermediateSize), ("layers", layers),
                             ("heads", heads), ("kv_heads", kvHeads), ("seq_len", seqLen), ("steps", steps),
                             ("batch_size", batchSize), ("gradient_accumulation", gradientAccumulation),
                             ("data_parallel", dataParallel)] where value < 1 {
            throw invalidParam(decoder, key, "is \(value): it must be at least 1")
        }
        if heads % kvHeads != 0 { throw invalidParam(decoder, "kv_heads", "(\(kvHeads)) must divide heads (\(heads))") }
        if hiddenSize % heads != 0 || (hiddenSize / heads) % 2 != 0 {
            throw invalidParam(decoder, "hidden_size", "(\(hiddenSize)) / heads (\(heads)) must be an even whole number (RoPE)")
        }
        if !(lr > 0) { throw invalidParam(decoder, "lr", "must be positive") }
        if warmupSteps < 0 { throw invalidParam(decoder, "warmup_steps", "may not be negative") }
    }
}
