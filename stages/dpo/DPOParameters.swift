import StageKit

/// The `dpo` section of params.yaml; every field has a default so the stage also runs by hand.
struct DPOParameters: StageParameters {
    static let section = "dpo"

    /// The base model directory and the SFT adapter the policy starts from (and the reference is).
    var base = "models/base", adapter = "models/sft_adapter"
    /// The preference pairs (prompt, chosen, rejected).
    var pairs = "data/split/dpo.jsonl"
    /// The adapter directory written (PEFT layout).
    var output = "models/dpo_adapter"
    /// Metrics and the per-step loss/reward curve (CSV plot data).
    var metrics = "reports/dpo.json", lossCurve = "reports/dpo_loss.csv"
    /// DPO's β (TRL default 0.1).
    var beta = 0.1
    /// Weight of the chosen completions' NLL in the loss (TRL `rpo_alpha`; 0 is plain DPO, TRL's default; 1.0 here
    /// because plain DPO let medium cases drift to immediate — docs/training.md).
    var rpoAlpha = 1.0
    /// Optimisation (AdamW, cosine with warm-up); `batch_size` counts pairs.
    var lr = 2e-4, steps = 300, batchSize = 8, gradientAccumulation = 1, warmupSteps = 15, weightDecay = 0.0
    /// Pairs used (0 = as many as the steps consume: steps × batch_size × gradient_accumulation, one pass).
    var maxPairs = 0
    /// Longest sequence in tokens.
    var maxLength = 256
    /// Pairs mined from the SFT model's own mistakes on the train split (`DPOPairMiner`, issue 16); off with
    /// `records: 0`.
    var mine = DPOMineParameters()
    /// Seed of data order, dropout and the mined candidates.
    var seed = 0
    /// Model replicas that each run a shard of every batch at once (`DataParallelReplicas`): 2 uses both cores of
    /// the reference machine. Results depend on it (sums regroup), so it is a parameter, not the core count.
    var dataParallel = 2
    /// Activation checkpointing per decoder layer (transformers' `gradient_checkpointing`): the same run in less
    /// memory for one more decoder forward per step. Off: the shipped model's activations are small; on for
    /// Qwen3-0.6B-sized bases (docs/training.md, "Qwen3-0.6B shape").
    var gradientCheckpointing = false

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case base, adapter, pairs, output, metrics, beta, lr, steps, seed, mine
        case dataParallel = "data_parallel", gradientCheckpointing = "gradient_checkpointing"
        case lossCurve = "loss_curve", batchSize = "batch_size", gradientAccumulation = "gradient_accumulation"
        case rpoAlpha = "rpo_alpha"
        case warmupSteps = "warmup_steps", weightDecay = "weight_decay", maxPairs = "max_pairs", maxLength = "max_length"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        base = try c.value(forKey: .base, default: d.base)
        adapter = try c.value(forKey: .adapter, default: d.adapter)
        pairs = try c.value(forKey: .pairs, default: d.pairs)
        output = try c.value(forKey: .output, default: d.output)
        metrics = try c.value(forKey: .metrics, default: d.metrics)
        lossCurve = try c.value(forKey: .lossCurve, default: d.lossCurve)
        beta = try c.value(forKey: .beta, default: d.beta)
        rpoAlpha = try c.value(forKey: .rpoAlpha, default: d.rpoAlpha)
        lr = try c.value(forKey: .lr, default: d.lr)
        steps = try c.value(forKey: .steps, default: d.steps)
        batchSize = try c.value(forKey: .batchSize, default: d.batchSize)
        gradientAccumulation = try c.value(forKey: .gradientAccumulation, default: d.gradientAccumulation)
        warmupSteps = try c.value(forKey: .warmupSteps, default: d.warmupSteps)
        weightDecay = try c.value(forKey: .weightDecay, default: d.weightDecay)
        maxPairs = try c.value(forKey: .maxPairs, default: d.maxPairs)
        maxLength = try c.value(forKey: .maxLength, default: d.maxLength)
        seed = try c.value(forKey: .seed, default: d.seed)
        mine = try c.value(forKey: .mine, default: d.mine)
        dataParallel = try c.value(forKey: .dataParallel, default: d.dataParallel)
        gradientCheckpointing = try c.value(forKey: .gradientCheckpointing, default: d.gradientCheckpointing)
        if dataParallel < 1 { throw invalidParam(decoder, "data_parallel", "is \(dataParallel): it must be at least 1") }
        for (key, value) in [("steps", steps), ("batch_size", batchSize),
                             ("gradient_accumulation", gradientAccumulation)] where value < 1 {
            throw invalidParam(decoder, key, "is \(value): it must be at least 1")
        }
        if !(beta > 0) { throw invalidParam(decoder, "beta", "must be positive") }
        if !(rpoAlpha >= 0) { throw invalidParam(decoder, "rpo_alpha", "must be 0 (plain DPO) or positive") }
        if !(lr > 0) { throw invalidParam(decoder, "lr", "must be positive") }
        if maxLength < 8 { throw invalidParam(decoder, "max_length", "must be at least 8") }
        if maxPairs < 0 || warmupSteps < 0 { throw invalidParam(decoder, "max_pairs", "max_pairs and warmup_steps may not be negative") }
    }
}
