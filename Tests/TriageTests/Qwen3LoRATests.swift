import Testing
import TriageData
import Tensors
@testable import Triage

@Suite struct Qwen3LoRATests {
    /// A model with LoRA on every projection and non-zero B, so adapters change the output.
    static func adaptedModel(rsLoRA: Bool = false) throws -> Qwen3Model {
        let model = Qwen3Fixtures.tinyModel()
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 16, useRSLoRA: rsLoRA), seed: 5)
        var generator = SeededGenerator(seed: 6)
        for layer in model.layers {
            for path in Qwen3DecoderLayer.projectionPaths {
                let lora = layer[projection: path] as! LoRALinear
                lora.loraB.value = .normal(lora.loraB.shape, std: 0.2, using: &generator)
            }
        }
        return model
    }

    @Test func applyingLoRALeavesTheLogitsUnchangedBecauseBStartsAtZero() throws {
        let model = Qwen3Fixtures.tinyModel()
        let ids = [Qwen3Fixtures.tokens(6, seed: 1)]
        let before = model.logits(ids).value
        try model.applyLoRA(LoRAConfig(), seed: 3)
        #expect(model.logits(ids).value.maxAbsDifference(before) < 1e-6)
    }

    @Test func onlyAdapterFactorsAreTrainableAfterApplyingLoRA() throws {
        let model = Qwen3Fixtures.tinyModel()
        try model.applyLoRA(LoRAConfig(rank: 2, targetModules: ["q_proj", "v_proj"]), seed: 3)
        let trainable = model.namedParameters().filter(\.variable.requiresGrad).map(\.name)
        #expect(trainable.count == 2 * 2 * 2)
        #expect(trainable.allSatisfy { ($0.contains("q_proj") || $0.contains("v_proj")) && $0.contains("lora_") })
    }

    @Test func mergedModelLogitsEqualBasePlusAdapterLogits() throws {
        for rsLoRA in [false, true] {
            let model = try Self.adaptedModel(rsLoRA: rsLoRA)
            let ids = [Qwen3Fixtures.tokens(8, seed: 2)]
            let adapted = model.logits(ids).value
            #expect(adapted.maxAbsDifference(Qwen3Fixtures.tinyModel().logits(ids).value) > 1e-2)
            model.mergeLoRA()
            #expect(model.layers.allSatisfy { !($0[projection: "mlp.up_proj"] is LoRALinear) })
            #expect(model.logits(ids).value.maxAbsDifference(adapted) < 1e-4)
        }
    }

    @Test func loRATrainingLowersTheLossAndLeavesTheBaseWeightsUntouched() throws {
        let model = Qwen3Fixtures.tinyModel(seed: 8)
        let baseBefore = Qwen3Fixtures.tinyModel(seed: 8).stateDict()
        try model.applyLoRA(LoRAConfig(rank: 8, alpha: 16, dropout: 0.05), seed: 1)
        model.setTraining(true)
        let sequence = (0..<20).map { [7, 1, 30, 22][$0 % 4] }
        let optimizer = AdamW(parameters: model.trainableParameters(), weightDecay: 0)
        var losses: [Float] = []
        for _ in 0..<40 {
            let loss = model.causalLanguageModelLoss(inputIds: [sequence], labels: [sequence])
            losses.append(loss.value.scalar)
            loss.backward()
            optimizer.step(learningRate: 1e-2)
            optimizer.zeroGrad()
        }
        #expect(losses.last! < losses.first! * 0.5, "losses: \(losses)")
        for layer in model.layers {
            let lora = layer[projection: "self_attn.q_proj"] as! LoRALinear
            #expect(lora.base.namedParameters().allSatisfy { $0.variable.grad == nil && !$0.variable.requiresGrad })
        }
        #expect(model.embedTokens.value == baseBefore["model.embed_tokens.weight"])
    }

    @Test func theAdapterStateDictUsesPEFTKeysAndLoadsBackToTheSameLogits() throws {
        let model = try Self.adaptedModel()
        let tensors = model.adapterStateDict()
        #expect(tensors.count == 2 * 7 * 2)
        #expect(tensors["base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight"]?.shape == [4, 16])
        #expect(tensors["base_model.model.model.layers.0.mlp.down_proj.lora_B.weight"]?.shape == [16, 4])
        let fresh = Qwen3Fixtures.tinyModel()
        try fresh.loadAdapter(tensors, config: LoRAConfig(rank: 4, alpha: 16), source: "adapter")
        let ids = [Qwen3Fixtures.tokens(5, seed: 4)]
        #expect(fresh.logits(ids).value == model.logits(ids).value)
    }

    @Test func anAdapterMissingAFactorIsRejectedByKey() throws {
        var tensors = try Self.adaptedModel().adapterStateDict()
        tensors["base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"] = nil
        #expect(throws: Qwen3ModelError.invalidAdapter(
            file: "a", problem: "missing `base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight`")) {
            try Qwen3Fixtures.tinyModel().loadAdapter(tensors, config: LoRAConfig(rank: 4, alpha: 16), source: "a")
        }
    }

    @Test func aTargetModuleThatIsNotAQwenProjectionIsRejected() {
        #expect(throws: Qwen3ModelError.self) {
            try Qwen3Fixtures.tinyModel().applyLoRA(LoRAConfig(targetModules: ["q_proj", "c_attn"]), seed: 1)
        }
    }
}
