import Foundation
import Testing
import TriageData
@testable import Triage

@Suite struct ChatCheckpointFilesTests {
    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func tokenizerConfigNamesQwensTokenizerTheTurnEndAsEOSAndTheChatTemplate() throws {
        let config = try json(ChatCheckpointFiles.tokenizerConfig(maxLength: 768))
        #expect(config["tokenizer_class"] as? String == "Qwen2Tokenizer")
        #expect(config["eos_token"] as? String == "<|im_end|>")
        #expect(config["pad_token"] as? String == "<|endoftext|>")
        #expect(config["bos_token"] is NSNull)
        #expect(config["model_max_length"] as? Int == 768)
        let template = try #require(config["chat_template"] as? String)
        #expect(template.contains("'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'"))
        #expect(template.contains("{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"))
    }

    @Test func generationConfigStopsAtTheTurnEndGreedily() throws {
        let config = try json(ChatCheckpointFiles.generationConfig(eosTokenIds: [2], padTokenId: 0))
        #expect(config["eos_token_id"] as? [Int] == [2])
        #expect(config["pad_token_id"] as? Int == 0)
        #expect(config["do_sample"] as? Bool == false)
        #expect(try json(ChatCheckpointFiles.generationConfig(eosTokenIds: [], padTokenId: nil))["pad_token_id"] is NSNull)
    }

    @Test func copyTakesOnlyTheCompanionFilesTheSourceHas() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chat-files-\(UUID().uuidString)")
        let source = root.appendingPathComponent("src"), target = root.appendingPathComponent("dst")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("{\"eos_token\":\"x\"}".utf8).write(to: source.appendingPathComponent("tokenizer_config.json"))
        try ChatCheckpointFiles.copy(from: source, to: target)
        #expect(try String(contentsOf: target.appendingPathComponent("tokenizer_config.json"), encoding: .utf8)
                == "{\"eos_token\":\"x\"}")
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("generation_config.json").path))
    }
}
