import Foundation
import Tensors

extension Qwen3Model {
    /// Wraps every projection whose name is in `config.targetModules` with a fresh `LoRALinear` and freezes all
    /// other parameters, as PEFT's `get_peft_model`; adapter A matrices are drawn from `seed` layer by layer.
    /// Throws when a target module is not a Qwen3 projection (PEFT: "Target modules … not found").
    public func applyLoRA(_ config: LoRAConfig, seed: UInt64) throws {
        try Self.checkTargets(config, source: "target_modules")
        var generator = SeededGenerator(seed: seed)
        for parameter in namedParameters() { parameter.variable.requiresGrad = false }
        for layer in layers {
            for path in Qwen3DecoderLayer.projectionPaths where config.targets(Self.moduleName(path)) {
                layer[projection: path] = LoRALinear(base: layer[projection: path], config: config, using: &generator)
            }
        }
    }

    /// Replaces every LoRA projection by its merged f32 layer (PEFT `merge_and_unload`).
    public func mergeLoRA() {
        for layer in layers {
            for path in Qwen3DecoderLayer.projectionPaths {
                if let lora = layer[projection: path] as? LoRALinear { layer[projection: path] = lora.merged() }
            }
        }
    }

    /// Switches LoRA dropout on (training) or off (evaluation).
    public func setTraining(_ training: Bool) {
        for layer in layers {
            for path in Qwen3DecoderLayer.projectionPaths {
                (layer[projection: path] as? LoRALinear)?.isTraining = training
            }
        }
    }

    /// The adapter tensors under PEFT's saved key names
    /// (`base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight`).
    public func adapterStateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (i, layer) in layers.enumerated() {
            for path in Qwen3DecoderLayer.projectionPaths {
                guard let lora = layer[projection: path] as? LoRALinear else { continue }
                let key = "\(Self.peftPrefix)model.layers.\(i).\(path)"
                out[key + ".lora_A.weight"] = lora.loraA.value
                out[key + ".lora_B.weight"] = lora.loraB.value
            }
        }
        return out
    }

    /// Wraps the targeted projections with adapters whose A and B come from `tensors` (PEFT key names; an
    /// optional `.default` adapter-name component is accepted). Every targeted projection must have both.
    public func loadAdapter(_ tensors: [String: Tensor], config: LoRAConfig, source: String) throws {
        try Self.checkTargets(config, source: source)
        for parameter in namedParameters() { parameter.variable.requiresGrad = false }
        var used = 0
        for (i, layer) in layers.enumerated() {
            for path in Qwen3DecoderLayer.projectionPaths where config.targets(Self.moduleName(path)) {
                let key = "\(Self.peftPrefix)model.layers.\(i).\(path)"
                func find(_ factor: String) throws -> Tensor {
                    if let t = tensors["\(key).\(factor).weight"] ?? tensors["\(key).\(factor).default.weight"] {
                        return t
                    }
                    throw Qwen3ModelError.invalidAdapter(file: source, problem: "missing `\(key).\(factor).weight`")
                }
                let a = try find("lora_A"), b = try find("lora_B")
                let base = layer[projection: path]
                guard a.shape == [config.rank, base.inFeatures], b.shape == [base.outFeatures, config.rank] else {
                    throw Qwen3ModelError.invalidAdapter(
                        file: source,
                        problem: "`\(key)` has A \(a.shape) and B \(b.shape) but r=\(config.rank) over a "
                            + "\(base.outFeatures)×\(base.inFeatures) projection needs [\(config.rank), \(base.inFeatures)] "
                            + "and [\(base.outFeatures), \(config.rank)]")
                }
                layer[projection: path] = LoRALinear(base: base, loraA: a, loraB: b, config: config,
                                                     seed: UInt64(i * 7 + used))
                used += 2
            }
        }
        if used != tensors.count {
            let expected = Set(adapterStateDict().keys)
            let extra = tensors.keys.filter { !expected.contains($0) && !expected.contains($0.replacingOccurrences(of: ".default.weight", with: ".weight")) }.sorted()
            throw Qwen3ModelError.invalidAdapter(
                file: source, problem: "keys not matching target_modules \(config.targetModules): \(extra.prefix(5))")
        }
    }

    /// Fails unless every target module names one of the seven Qwen3 projections.
    static func checkTargets(_ config: LoRAConfig, source: String) throws {
        let known = Set(Qwen3DecoderLayer.projectionPaths.map(moduleName))
        let unknown = config.targetModules.filter { !known.contains($0) }
        guard unknown.isEmpty, !config.targetModules.isEmpty else {
            throw Qwen3ModelError.invalidAdapter(
                file: source,
                problem: "target_modules \(unknown.isEmpty ? "is empty" : "\(unknown) not found in Qwen3"); "
                    + "choose from \(LoRAConfig.allQwenProjections)")
        }
    }

    /// PEFT's prefix for a causal LM wrapped in `PeftModelForCausalLM` → `LoraModel` → `Qwen3ForCausalLM`.
    static let peftPrefix = "base_model.model."

    /// The module name PEFT matches against `target_modules` (the last path component).
    static func moduleName(_ path: String) -> String { String(path.split(separator: ".").last ?? "") }
}
