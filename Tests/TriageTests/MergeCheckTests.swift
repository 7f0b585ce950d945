import Foundation
import Testing
import Tensors
@testable import Triage

@Suite struct MergeCheckTests {
    func adaptedModel() throws -> Qwen3Model {
        let dense = Qwen3Fixtures.tinyModel()
        let model = try Qwen3Model(config: dense.config, weights: dense.stateDict(), projections: .nf4(blocksize: 64, doubleQuant: true))
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8), seed: 5)
        for (name, parameter) in model.namedParameters() where name.contains("lora_B") {
            var generator = SeededGenerator(seed: UInt64(name.count))
            parameter.value = Tensor.normal(parameter.shape, std: 0.2, using: &generator)
        }
        return model
    }

    func samples() -> [[Int]] { [Qwen3Fixtures.tokens(8, seed: 1), Qwen3Fixtures.tokens(5, seed: 2)] }

    @Test func aMergedCheckpointSavedAndReloadedMatchesTheNF4BasePlusAdapter() throws {
        let adapted = try adaptedModel()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Qwen3Model(config: adapted.config, weights: adapted.stateDict(), projections: .dense(trainable: false)).save(directory: dir)
        let merged = try Qwen3Model.load(directory: dir, projections: .dense(trainable: false))
        let difference = try MergeCheck(tolerance: 1e-3).verify(merged: merged, reference: adapted, samples: samples())
        #expect(difference < 1e-3)
    }

    @Test func theCheckFailsWhenTheAdapterIsCorrupted() throws {
        let adapted = try adaptedModel()
        let merged = try Qwen3Model(config: adapted.config, weights: adapted.stateDict(), projections: .dense(trainable: false))
        // Corrupt one adapter factor after merging: the model the adapter describes no longer matches the merge.
        let b = adapted.namedParameters().first { $0.name.hasSuffix("layers.0.self_attn.v_proj.lora_B.weight") }!.variable
        b.value = b.value * 3
        #expect {
            try MergeCheck(tolerance: 1e-3).verify(merged: merged, reference: adapted, samples: samples())
        } throws: { ($0 as? TrainingError)?.code == "training.merge-mismatch" }
    }

    @Test func aNonFiniteAdapterFailsTheCheckEvenWithAHugeTolerance() throws {
        let adapted = try adaptedModel()
        let a = adapted.namedParameters().first { $0.name.hasSuffix("layers.1.mlp.up_proj.lora_A.weight") }!.variable
        a.value = Tensor(shape: a.shape, repeating: .nan)
        let merged = try Qwen3Model(config: adapted.config, weights: adapted.stateDict(), projections: .dense(trainable: false))
        #expect(throws: TrainingError.self) {
            try MergeCheck(tolerance: 1e9).verify(merged: merged, reference: adapted, samples: samples())
        }
    }
}
