import Foundation
import Testing
@testable import Tensors

/// Bytes the JSON writers produced before they moved onto PipeBasics' one writer (captured from the old code at
/// e06870b), pinned so a shipped checkpoint or config stays byte-identical.
@Suite struct JSONWriterPinTests {
    @Test("a config rewritten Python-style is byte-identical to the old writer's, escapes and empties included")
    func pythonStyleConfig() {
        let config: [String: Any] = [
            "architectures": ["Qwen3ForCausalLM"], "hidden_size": 64, "rms_norm_eps": 1e-06,
            "rope_theta": 1000000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16",
            "name": "caf\u{e9} \u{1F600} \"q\" \\ \u{7f}\n\t\r\u{08}\u{0C}\u{01}",
            "nested": ["empty": [String: Any](), "list": [Any](), "null": NSNull(), "ratio": 0.5, "neg": -3],
        ]
        #expect(PythonStyleJSON.encode(config) == "{\n  \"architectures\": [\n    \"Qwen3ForCausalLM\"\n  ],\n  \"hidden_size\": 64,\n  \"name\": \"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\u007f\\n\\t\\r\\b\\f\\u0001\",\n  \"nested\": {\n    \"empty\": {},\n    \"list\": [],\n    \"neg\": -3,\n    \"null\": null,\n    \"ratio\": 0.5\n  },\n  \"rms_norm_eps\": 1e-06,\n  \"rope_theta\": 1000000.0,\n  \"tie_word_embeddings\": true,\n  \"torch_dtype\": \"bfloat16\"\n}\n")
    }

    @Test("a safetensors header lists metadata first, then tensors by dtype size and name, space-padded to 8 bytes")
    func safeTensorsHeader() {
        let tensors: [String: SafeTensorsEntry] = ["a.caf\u{e9} \"x\"": .uint8([1], shape: [1]),
                                                   "b.weight": .float32([1, 2], shape: [2])]
        let json = #"{"__metadata__":{"format":"pt"},"b.weight":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"#
            + #""a.café \"x\"":{"dtype":"U8","shape":[1],"data_offsets":[8,9]}}"#
        var padded = Array(json.utf8)
        while padded.count % 8 != 0 { padded.append(UInt8(ascii: " ")) }
        let expected = withUnsafeBytes(of: UInt64(padded.count).littleEndian) { Array($0) } + padded
        let (bytes, order) = SafeTensorsWriter.header(for: tensors)
        #expect(order == ["b.weight", "a.caf\u{e9} \"x\""])
        #expect(bytes == expected)
    }

    @Test("a sharded checkpoint's index file is byte-identical to the old writer's")
    func checkpointIndex() {
        let bytes = SafeTensorsCheckpoint.indexJSON(totalSize: 12, weightMap: [
            "b": "model-00002-of-00002.safetensors", "a": "model-00001-of-00002.safetensors"])
        #expect(String(decoding: bytes, as: UTF8.self) == """
            {
              "metadata": {
                "total_size": 12
              },
              "weight_map": {
                "a": "model-00001-of-00002.safetensors",
                "b": "model-00002-of-00002.safetensors"
              }
            }

            """)
    }
}
