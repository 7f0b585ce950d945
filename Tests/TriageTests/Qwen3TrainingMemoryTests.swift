import Foundation
import Testing
import Tensors
@testable import Triage

/// Activation checkpointing (`Qwen3Model.gradientCheckpointing`) and NF4 quantization while reading a checkpoint:
/// the two memory savings the Qwen3-0.6B shape needs (docs/training.md), each checked to change nothing else.
@Suite struct Qwen3TrainingMemoryTests {
    /// The NF4 tiny model with LoRA (dropout on, so the recomputed pass must draw the same masks).
    static func adaptedModel(checkpointing: Bool) throws -> Qwen3Model {
        let dense = Qwen3Fixtures.tinyModel(seed: 3)
        let model = try Qwen3Model(config: dense.config, weights: dense.stateDict(), projections: .nf4(blocksize: 32))
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8, dropout: 0.2), seed: 2)
        model.gradientCheckpointing = checkpointing
        model.setTraining(true)
        return model
    }

    @Test func checkpointedQLoRATrainingGivesTheSameLossesAndAdaptersAsThePlainGraphDropoutIncluded() throws {
        let plain = try Self.adaptedModel(checkpointing: false)
        let checkpointed = try Self.adaptedModel(checkpointing: true)
        let examples = (0..<3).map { i in
            CompletionExample(promptIds: Qwen3Fixtures.tokens(9 + i, seed: UInt64(10 + i)),
                              completionIds: Qwen3Fixtures.tokens(3, seed: UInt64(20 + i)))
        }
        let batch = CompletionBatch(examples, padId: 0)
        let sequence = Qwen3Fixtures.tokens(12, seed: 7)
        var losses: [[Float]] = [[], []]
        for (m, model) in [plain, checkpointed].enumerated() {
            let optimizer = AdamW(parameters: model.trainableParameters(), weightDecay: 0)
            for step in 0..<4 {
                // Both training forwards: the completion-only head (SFT/DPO) and the full logits.
                let loss = step % 2 == 0 ? model.completionLoss(batch)
                                         : model.causalLanguageModelLoss(inputIds: [sequence], labels: [sequence])
                losses[m].append(loss.value.scalar)
                loss.backward()
                optimizer.step(learningRate: 1e-2)
                optimizer.zeroGrad()
            }
        }
        #expect(zip(losses[0], losses[1]).allSatisfy { abs($0 - $1) <= 1e-6 * max(1, abs($0)) }, "\(losses)")
        let a = plain.adapterStateDict(), b = checkpointed.adapterStateDict()
        #expect(a.keys.sorted() == b.keys.sorted())
        for (name, tensor) in a { #expect(tensor.maxAbsDifference(b[name]!) <= 1e-6, "\(name)") }
        #expect(losses[0].last! != losses[0].first!, "the adapters trained")
    }

    @Test func checkpointingIsANoOpWithoutAGraph() throws {
        let plain = try Self.adaptedModel(checkpointing: false)
        let checkpointed = try Self.adaptedModel(checkpointing: true)
        plain.setTraining(false)
        checkpointed.setTraining(false)
        let ids = [Qwen3Fixtures.tokens(8, seed: 5)]
        let a = Variable.withoutGradients { plain.logits(ids).value }
        let b = Variable.withoutGradients { checkpointed.logits(ids).value }
        #expect(a.maxAbsDifference(b) == 0)
    }

    @Test func loadingAsNF4QuantizesEachProjectionAsItIsReadWithTheSameCodesAsQuantizingTheDenseWeight() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qwen3-nf4-read-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let dense = Qwen3Fixtures.tinyModel(seed: 3)
        try dense.save(directory: dir, dtype: .bf16)
        let reference = try Qwen3Model.load(directory: dir, projections: .dense(trainable: false))
        let loaded = try Qwen3Model.load(directory: dir, projections: .nf4(blocksize: 32, doubleQuant: true))
        for (layer, expected) in zip(loaded.layers, reference.layers) {
            for path in Qwen3DecoderLayer.projectionPaths {
                let nf4 = try #require(layer[projection: path] as? NF4Linear)
                let w = expected[projection: path].effectiveWeight()
                let direct = NF4Linear(quantizing: w, blocksize: 32, doubleQuant: true)
                #expect(nf4.weight.packed == direct.weight.packed, "\(path)")
                #expect(nf4.effectiveWeight().scalars == direct.effectiveWeight().scalars, "\(path)")
            }
        }
        #expect(loaded.embedTokens.value.scalars == reference.embedTokens.value.scalars)
    }
}
