import Foundation
import Testing
import TriageData
import Tensors
@testable import Triage

/// QLoRA: a frozen NF4 base with f32 LoRA adapters.
@Suite struct Qwen3QLoRATests {
    static func quantizedModel() throws -> Qwen3Model {
        let dense = Qwen3Fixtures.tinyModel(seed: 3)
        return try Qwen3Model(config: dense.config, weights: dense.stateDict(), projections: .nf4(blocksize: 32))
    }

    @Test func anNF4ModelKeepsEveryProjectionQuantizedAndCloseToTheDenseLogits() throws {
        let dense = Qwen3Fixtures.tinyModel(seed: 3)
        let quantized = try Self.quantizedModel()
        #expect(quantized.layers.allSatisfy { layer in
            Qwen3DecoderLayer.projectionPaths.allSatisfy { layer[projection: $0] is NF4Linear }
        })
        #expect(quantized.trainableParameters().isEmpty)
        let ids = [Qwen3Fixtures.tokens(6, seed: 4)]
        let a = dense.logits(ids).logSoftmax().value, b = quantized.logits(ids).logSoftmax().value
        let scale = a.scalars.map(abs).max()!
        #expect(a.maxAbsDifference(b) < 0.25 * scale)
    }

    @Test func qLoRATrainingLowersTheLossAndTheMergedModelGivesTheSameLogits() throws {
        let model = try Self.quantizedModel()
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8), seed: 2)
        let sequence = (0..<16).map { [2, 11, 29, 5][$0 % 4] }
        let optimizer = AdamW(parameters: model.trainableParameters(), weightDecay: 0)
        var losses: [Float] = []
        for _ in 0..<30 {
            let loss = model.causalLanguageModelLoss(inputIds: [sequence], labels: [sequence])
            losses.append(loss.value.scalar)
            loss.backward()
            optimizer.step(learningRate: 1e-2)
            optimizer.zeroGrad()
        }
        #expect(losses.last! < losses.first! * 0.6, "losses: \(losses)")
        let ids = [Qwen3Fixtures.tokens(7, seed: 5)]
        let adapted = model.logits(ids).value
        model.mergeLoRA()
        #expect(model.logits(ids).value.maxAbsDifference(adapted) < 1e-4)
    }

    @Test func aBitsandbytesFourBitCheckpointLoadsAsNF4WithTheSameLogitsAsQuantizingOnLoad() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qwen3-nf4-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dense = Qwen3Fixtures.tinyModel(seed: 3)
        try dense.save(directory: dir)
        // Rewrite the projections in the bitsandbytes layout, as the `quantize` tool does.
        var entries: [String: SafeTensorsEntry] = [:]
        for (name, tensor) in dense.stateDict() {
            if name.hasSuffix("_proj.weight"), name.hasPrefix("model.layers.") {
                let weight = NF4Weight.quantize(tensor.scalars, rows: tensor.shape[0], cols: tensor.shape[1])
                entries.merge(weight.safetensorsEntries(prefix: String(name.dropLast(".weight".count)))) { a, _ in a }
            } else {
                entries[name] = .float32(tensor.scalars, shape: tensor.shape)
            }
        }
        try SafeTensorsCheckpoint.write(entries, to: dir)
        let loaded = try Qwen3Model.load(directory: dir, projections: .nf4())
        #expect(loaded.layers[1][projection: "mlp.down_proj"] is NF4Linear)
        let onLoad = try Qwen3Model(config: dense.config, weights: dense.stateDict(), projections: .nf4())
        let ids = [Qwen3Fixtures.tokens(6, seed: 6)]
        #expect(loaded.logits(ids).value == onLoad.logits(ids).value)
        let dequantized = try Qwen3Model.load(directory: dir, projections: .dense(trainable: false))
        #expect(dequantized.layers[0][projection: "self_attn.q_proj"] is DenseLinear)
        #expect(dequantized.logits(ids).value.maxAbsDifference(onLoad.logits(ids).value) < 1e-4)
    }
}
