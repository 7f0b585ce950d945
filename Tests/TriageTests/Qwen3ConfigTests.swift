import Foundation
import Testing
@testable import Triage

@Suite struct Qwen3ConfigTests {
    /// The published config.json of Qwen/Qwen3-0.6B.
    static let qwen3SmallConfig = """
    {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
     "bos_token_id": 151643, "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024,
     "initializer_range": 0.02, "intermediate_size": 3072, "max_position_embeddings": 40960,
     "max_window_layers": 28, "model_type": "qwen3", "num_attention_heads": 16, "num_hidden_layers": 28,
     "num_key_value_heads": 8, "rms_norm_eps": 1e-06, "rope_scaling": null, "rope_theta": 1000000,
     "sliding_window": null, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
     "transformers_version": "4.51.0", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
    """

    @Test func theQwen3SmallConfigDecodesWithEveryField() throws {
        let config = try JSONDecoder().decode(Qwen3Config.self, from: Data(Self.qwen3SmallConfig.utf8))
        #expect(config.hiddenSize == 1024 && config.intermediateSize == 3072 && config.numHiddenLayers == 28)
        #expect(config.numAttentionHeads == 16 && config.numKeyValueHeads == 8 && config.headDim == 128)
        #expect(config.rmsNormEps == 1e-6 && config.ropeTheta == 1_000_000 && config.vocabSize == 151_936)
        #expect(config.tieWordEmbeddings && config.maxPositionEmbeddings == 40960)
        #expect(config.torchDtype == "bfloat16" && config.eosTokenIds == [151_645] && config.bosTokenId == 151_643)
    }

    @Test func aConfigRoundTripsThroughJSON() throws {
        let config = Qwen3Fixtures.tinyConfig(tied: false)
        let data = try JSONEncoder().encode(config)
        #expect(try JSONDecoder().decode(Qwen3Config.self, from: data) == config)
    }

    @Test func aMissingRequiredKeyIsNamedWithTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("qwen3-config-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "vocab_size": 9}"#.utf8)
            .write(to: url)
        #expect(throws: Qwen3ModelError.invalidConfig(file: url.path, key: "hidden_size",
                                                      problem: "required key is missing")) {
            try Qwen3Config.load(from: url)
        }
    }

    @Test func keyValueHeadsThatDoNotDivideTheQueryHeadsAreRejected() {
        var config = Qwen3Fixtures.tinyConfig()
        config.numKeyValueHeads = 3
        #expect(throws: Qwen3ModelError.self) { try config.validate() }
        do { try config.validate() } catch let error as Qwen3ModelError {
            #expect(error.code == "qwen3.invalid-config" && error.description.contains("num_key_value_heads"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func ropeScalingIsReportedAsUnsupported() {
        let json = Self.qwen3SmallConfig.replacingOccurrences(of: #""rope_scaling": null"#,
                                                              with: #""rope_scaling": {"type": "yarn"}"#)
        #expect(throws: Qwen3ModelError.unsupportedConfig(file: "config.json", key: "rope_scaling",
                                                          problem: "RoPE scaling is not implemented")) {
            try JSONDecoder().decode(Qwen3Config.self, from: Data(json.utf8))
        }
    }

    @Test func aTransformersFiveConfigWithRopeParametersAndDtypeDecodes() throws {
        // As `Qwen3Config(...).to_json_string()` prints it in transformers 5.24.
        let json = """
        {"attention_bias": false, "attention_dropout": 0.0, "bos_token_id": null, "eos_token_id": null,
         "head_dim": 6, "hidden_act": "silu", "hidden_size": 16, "initializer_range": 0.02, "intermediate_size": 24,
         "layer_types": ["full_attention", "full_attention"], "max_position_embeddings": 32768,
         "max_window_layers": 28, "model_type": "qwen3", "num_attention_heads": 4, "num_hidden_layers": 2,
         "num_key_value_heads": 2, "pad_token_id": null, "rms_norm_eps": 1e-06,
         "rope_parameters": {"rope_theta": 5000.0, "rope_type": "default"}, "sliding_window": null,
         "tie_word_embeddings": false, "transformers_version": "5.24.0", "use_cache": true,
         "use_sliding_window": false, "vocab_size": 37, "dtype": "bfloat16"}
        """
        let config = try JSONDecoder().decode(Qwen3Config.self, from: Data(json.utf8))
        #expect(config.ropeTheta == 5000 && config.torchDtype == "bfloat16" && config.eosTokenIds.isEmpty)
        #expect(!config.tieWordEmbeddings && config.headDim == 6)
    }

    @Test func aNonDefaultRopeTypeIsReportedAsUnsupported() {
        let json = Self.qwen3SmallConfig.replacingOccurrences(
            of: #""rope_theta": 1000000"#, with: #""rope_parameters": {"rope_type": "yarn", "rope_theta": 1e6}"#)
        #expect(throws: Qwen3ModelError.self) { try JSONDecoder().decode(Qwen3Config.self, from: Data(json.utf8)) }
    }
}
