import Foundation
import Testing
import Tensors
@testable import Triage

@Suite struct Qwen3CheckpointTests {
    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("qwen3-\(UUID())").path
    }

    @Test func aSavedCheckpointLoadsBackWithHuggingFaceNamesAndTheSameLogits() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = Qwen3Fixtures.tinyModel(tied: false)
        try model.save(directory: dir)
        let file = try SafeTensorsFile(path: dir + "/model.safetensors")
        #expect(file.contains("model.layers.1.self_attn.q_norm.weight") && file.contains("lm_head.weight"))
        #expect(file.metadata["format"] == "pt")
        let loaded = try Qwen3Model.load(directory: dir)
        let ids = [Qwen3Fixtures.tokens(6, seed: 1)]
        #expect(loaded.logits(ids).value == model.logits(ids).value)
        #expect(loaded.config == model.config)
    }

    @Test func bfloat16WeightsAreUpcastOnLoad() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = Qwen3Fixtures.tinyModel()
        try model.save(directory: dir, dtype: .bf16)
        #expect(try SafeTensorsFile(path: dir + "/model.safetensors").info("model.norm.weight").dtype == .bf16)
        let loaded = try Qwen3Model.load(directory: dir)
        #expect(loaded.config.torchDtype == "bfloat16")
        let original = model.embedTokens.value, upcast = loaded.embedTokens.value
        #expect(upcast.maxAbsDifference(original) <= 0.3 * 4 / 256)    // bf16 keeps 8 significant bits
        #expect(upcast.scalars.allSatisfy { HalfPrecision.float(bfloat16: HalfPrecision.bfloat16Bits($0)) == $0 })
    }

    @Test func shardedCheckpointsLoadThroughTheIndex() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = Qwen3Fixtures.tinyModel()
        try model.save(directory: dir, maxShardBytes: 8_000)
        #expect(FileManager.default.fileExists(atPath: dir + "/model.safetensors.index.json"))
        let ids = [Qwen3Fixtures.tokens(4, seed: 2)]
        #expect(try Qwen3Model.load(directory: dir).logits(ids).value == model.logits(ids).value)
    }

    @Test func savingTwiceGivesByteIdenticalFiles() throws {
        let (a, b) = (temporaryDirectory(), temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        try Qwen3Fixtures.tinyModel().save(directory: a)
        try Qwen3Fixtures.tinyModel().save(directory: b)
        for name in ["config.json", "model.safetensors"] {
            #expect(FileManager.default.contents(atPath: a + "/" + name) == FileManager.default.contents(atPath: b + "/" + name))
        }
    }

    @Test func aPEFTAdapterDirectoryRoundTrips() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let model = try Qwen3LoRATests.adaptedModel()
        try model.saveAdapter(directory: dir, config: LoRAConfig(rank: 4, alpha: 16), baseModelNameOrPath: "tiny")
        let file = try SafeTensorsFile(path: dir + "/adapter_model.safetensors")
        #expect(file.names.count == 28)
        #expect(file.contains("base_model.model.model.layers.0.mlp.gate_proj.lora_B.weight"))
        let fresh = Qwen3Fixtures.tinyModel()
        let config = try fresh.loadAdapter(directory: dir)
        #expect(config.lora.rank == 4 && config.baseModelNameOrPath == "tiny")
        let ids = [Qwen3Fixtures.tokens(5, seed: 3)]
        #expect(fresh.logits(ids).value == model.logits(ids).value)
    }

    @Test func aMissingConfigIsReportedWithItsPath() {
        let dir = temporaryDirectory()
        #expect(throws: Qwen3ModelError.self) { try Qwen3Model.load(directory: dir) }
    }
}
