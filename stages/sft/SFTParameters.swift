import StageKit
import Tensors

/// The `sft` section of params.yaml; every field has a default so the stage also runs by hand.
struct SFTParameters: StageParameters {
    static let section = "sft"

    /// The base model directory (the pretrain stage's output, with its tokenizer.json).
    var base = "models/base"
    /// The SFT rows (prompt, completion) and the validation records.
    var train = "data/split/sft.jsonl", val = "data/split/val.jsonl"
    /// The adapter directory written (PEFT layout).
    var output = "models/sft_adapter"
    /// Metrics and loss curves (CSV plot data).
    var metrics = "reports/sft.json", lossCurve = "reports/sft_loss.csv", valCurve = "reports/sft_val_loss.csv"
    /// LoRA: rank, alpha, dropout and the projections adapted.
    var r = 16, loraAlpha = 32.0, loraDropout = 0.05
    var targetModules = LoRAConfig.allQwenProjections
    /// Optimisation (AdamW, cosine with warm-up). The learning rate is 10× the QLoRA paper's 2e-4: on this tiny
    /// base 2e-4 leaves the classification at chance within the pipeline's time budget (docs/training.md).
    var lr = 2e-3, steps = 4000, batchSize = 16, gradientAccumulation = 1, warmupSteps = 30, weightDecay = 0.0
    /// LoRA+: the B factors train at this multiple of `lr` (PEFT's `loraplus_lr_ratio`); 1 is plain LoRA.
    var loraplusLrRatio = 1.0
    /// Model replicas that each run a shard of every batch at once (`DataParallelReplicas`): 2 uses both cores of
    /// the reference machine. Results depend on it (sums regroup), so it is a parameter, not the core count.
    var dataParallel = 2
    /// Activation checkpointing per decoder layer (transformers' `gradient_checkpointing`): the same run in less
    /// memory for one more decoder forward per step. Off: the shipped model's activations are small; on for
    /// Qwen3-0.6B-sized bases (docs/training.md, "Qwen3-0.6B shape").
    var gradientCheckpointing = false
    /// Validation loss every this many steps, over at most `valRows` records.
    var evalInterval = 100, valRows = 200
    /// Longest sequence in tokens (prompts are cut from the left beyond it).
    var maxLength = 256
    /// Seed of the adapter initialisation, data order and dropout.
    var seed = 0

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case base, train, val, output, metrics, r, lr, steps, seed
        case lossCurve = "loss_curve", valCurve = "val_curve", loraAlpha = "lora_alpha", loraDropout = "lora_dropout"
        case targetModules = "target_modules", batchSize = "batch_size", gradientAccumulation = "gradient_accumulation"
        case warmupSteps = "warmup_steps", weightDecay = "weight_decay", evalInterval = "eval_interval"
        case loraplusLrRatio = "loraplus_lr_ratio", dataParallel = "data_parallel"
        case gradientCheckpointing = "gradient_checkpointing"
        case valRows = "val_rows", maxLength = "max_length"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Self()
        base = try c.value(forKey: .base, default: d.base)
        train = try c.value(forKey: .train, default: d.train)
        val = try c.value(forKey: .val, default: d.val)
        output = try c.value(forKey: .output, default: d.output)
        metrics = try c.value(forKey: .metrics, default: d.metrics)
        lossCurve = try c.value(forKey: .lossCurve, default: d.lossCurve)
        valCurve = try c.value(forKey: .valCurve, default: d.valCurve)
        r = try c.value(forKey: .r, default: d.r)
        loraAlpha = try c.value(forKey: .loraAlpha, default: d.loraAlpha)
        loraDropout = try c.value(forKey: .loraDropout, default: d.loraDropout)
        targetModules = try c.value(forKey: .targetModules, default: d.targetModules)
        lr = try c.value(forKey: .lr, default: d.lr)
        steps = try c.value(forKey: .steps, default: d.steps)
        batchSize = try c.value(forKey: .batchSize, default: d.batchSize)
        gradientAccumulation = try c.value(forKey: .gradientAccumulation, default: d.gradientAccumulation)
        warmupSteps = try c.value(forKey: .warmupSteps, default: d.warmupSteps)
        weightDecay = try c.value(forKey: .weightDecay, default: d.weightDecay)
        loraplusLrRatio = try c.value(forKey: .loraplusLrRatio, default: d.loraplusLrRatio)
        dataParallel = try c.value(forKey: .dataParallel, default: d.dataParallel)
        gradientCheckpointing = try c.value(forKey: .gradientCheckpointing, default: d.gradientCheckpointing)
        if dataParallel < 1 { throw invalidParam(decoder, "data_parallel", "is \(dataParallel): it must be at least 1") }
        if !(loraplusLrRatio > 0) { throw invalidParam(decoder, "loraplus_lr_ratio", "must be positive (1: plain LoRA)") }
        evalInterval = try c.value(forKey: .evalInterval, default: d.evalInterval)
        valRows = try c.value(forKey: .valRows, default: d.valRows)
        maxLength = try c.value(forKey: .maxLength, default: d.maxLength)
        seed = try c.value(forKey: .seed, default: d.seed)
        for (key, value) in [("r", r), ("steps", steps), ("batch_size", batchSize),
                             ("gradient_accumulation", gradientAccumulation)] where value < 1 {
            throw invalidParam(decoder, key, "is \(value): it must be at least 1")
        }
        if !(0..<1).contains(loraDropout) { throw invalidParam(decoder, "lora_dropout", "must lie in [0, 1)") }
        if !(lr > 0) { throw invalidParam(decoder, "lr", "must be positive") }
        if maxLength < 8 { throw invalidParam(decoder, "max_length", "must be at least 8") }
        if evalInterval < 0 || valRows < 0 || warmupSteps < 0 {
            throw invalidParam(decoder, "eval_interval", "eval_interval, val_rows and warmup_steps may not be negative")
        }
        let unknown = targetModules.filter { !LoRAConfig.allQwenProjections.contains($0) }
        if !unknown.isEmpty || targetModules.isEmpty {
            throw invalidParam(decoder, "target_modules", "must list Qwen3 projections from \(LoRAConfig.allQwenProjections); unknown: \(unknown)")
        }
    }

    /// The LoRA configuration these params describe.
    var lora: LoRAConfig {
        LoRAConfig(rank: r, alpha: Float(loraAlpha), dropout: Float(loraDropout), targetModules: targetModules)
    }
}
