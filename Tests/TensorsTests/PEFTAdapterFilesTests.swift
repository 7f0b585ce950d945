import Foundation
import Testing
@testable import Tensors

@Suite struct PEFTAdapterFilesTests {
    func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("peft-\(UUID())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func anAdapterRoundTripsWithPEFTsConfigKeys() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lora = LoRAConfig(rank: 4, alpha: 16, dropout: 0.05, targetModules: ["v_proj", "q_proj"], useRSLoRA: true)
        let tensors = ["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": randomTensor([4, 8], seed: 1)]
        try PEFTAdapterFiles.write(config: .init(lora: lora, baseModelNameOrPath: "Qwen/Qwen3-0.6B"),
                                   tensors: tensors, to: dir)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/adapter_config.json"))) as! [String: Any]
        #expect(json["peft_type"] as? String == "LORA" && json["task_type"] as? String == "CAUSAL_LM")
        #expect(json["r"] as? Int == 4 && json["lora_alpha"] as? Double == 16 && json["bias"] as? String == "none")
        #expect(json["target_modules"] as? [String] == ["q_proj", "v_proj"] && json["use_rslora"] as? Bool == true)
        #expect(json["base_model_name_or_path"] as? String == "Qwen/Qwen3-0.6B")
        let (config, read) = try PEFTAdapterFiles.read(from: dir)
        #expect(config.lora.rank == 4 && config.lora.alpha == 16 && config.lora.useRSLoRA)
        #expect(abs(config.lora.dropout - 0.05) < 1e-7)
        #expect(read == tensors)
    }

    @Test func writingTheSameAdapterTwiceGivesIdenticalBytes() throws {
        let (a, b) = (temporaryDirectory(), temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let tensors = ["x.lora_A.weight": randomTensor([2, 3], seed: 2), "x.lora_B.weight": randomTensor([3, 2], seed: 3)]
        for dir in [a, b] {
            try PEFTAdapterFiles.write(config: .init(lora: LoRAConfig(), baseModelNameOrPath: nil), tensors: tensors, to: dir)
        }
        for name in [PEFTAdapterFiles.configFileName, PEFTAdapterFiles.weightsFileName] {
            #expect(FileManager.default.contents(atPath: a + "/" + name) == FileManager.default.contents(atPath: b + "/" + name))
        }
    }

    @Test func aNonLoRAAdapterIsRejectedWithThePath() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(#"{"peft_type": "IA3", "r": 4, "target_modules": ["q_proj"]}"#.utf8)
            .write(to: URL(fileURLWithPath: dir + "/adapter_config.json"))
        #expect(throws: PEFTAdapterFiles.ReadError.self) { try PEFTAdapterFiles.read(from: dir) }
    }
}
