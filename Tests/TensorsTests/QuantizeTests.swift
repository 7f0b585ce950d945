import Foundation
import Testing
@testable import Tensors
import PipeBasics

/// A tiny Qwen3-shaped checkpoint: embeddings, norms, seven projections per layer, lm_head, in BF16.
func writeTinyCheckpoint(to directory: String, layers: Int = 2, hidden: Int = 64, intermediate: Int = 96) throws
    -> [String: [Float]] {
    var sampler = NF4TestNormalSampler(seed: 2024)
    var values: [String: [Float]] = [:]
    var tensors: [String: SafeTensorsEntry] = [:]
    func add(_ name: String, _ shape: [Int], scale: Float = 0.05) {
        let data = sampler.normals(shape.reduce(1, *), scale: scale)
        let entry = SafeTensorsEntry.bfloat16(data, shape: shape)
        tensors[name] = entry
        values[name] = data.map { HalfPrecision.float(bfloat16: HalfPrecision.bfloat16Bits($0)) }
    }
    add("model.embed_tokens.weight", [40, hidden])
    add("model.norm.weight", [hidden])
    add("lm_head.weight", [40, hidden])
    for layer in 0..<layers {
        let prefix = "model.layers.\(layer)."
        add(prefix + "input_layernorm.weight", [hidden])
        add(prefix + "post_attention_layernorm.weight", [hidden])
        add(prefix + "self_attn.q_norm.weight", [16])
        add(prefix + "self_attn.k_norm.weight", [16])
        for name in ["q_proj", "k_proj", "v_proj", "o_proj"] { add(prefix + "self_attn.\(name).weight", [hidden, hidden]) }
        add(prefix + "mlp.gate_proj.weight", [intermediate, hidden])
        add(prefix + "mlp.up_proj.weight", [intermediate, hidden])
        add(prefix + "mlp.down_proj.weight", [hidden, intermediate])
    }
    try SafeTensorsCheckpoint.write(tensors, to: directory)
    let config = """
        {"architectures": ["Qwen3ForCausalLM"], "hidden_size": \(hidden), "model_type": "qwen3", "torch_dtype": "bfloat16"}
        """
    try AtomicFileWriter.write(Array(config.utf8), to: directory + "/config.json")
    try AtomicFileWriter.write(Array("{\"model\": {}}".utf8), to: directory + "/tokenizer.json")
    return values
}

@Suite("NF4 in bitsandbytes safetensors keys")
struct NF4SafeTensorsTests {
    @Test("The quant state JSON is byte for byte what bitsandbytes' json.dumps writes")
    func quantStateJSON() {
        let nested = NF4QuantState(blocksize: 64, dtype: "bfloat16", shape: [4096, 1024],
                                   nested: (256, "float32", 0.022934451699256897))
        #expect(String(decoding: nested.encoded(), as: UTF8.self) == """
            {"quant_type": "nf4", "blocksize": 64, "dtype": "bfloat16", "shape": [4096, 1024], \
            "nested_blocksize": 256, "nested_dtype": "float32", "nested_offset": 0.022934451699256897}
            """)
        let plain = NF4QuantState(blocksize: 128, dtype: "float32", shape: [3, 5], nested: nil)
        #expect(String(decoding: plain.encoded(), as: UTF8.self)
                == #"{"quant_type": "nf4", "blocksize": 128, "dtype": "float32", "shape": [3, 5]}"#)
    }

    @Test("A linear saves as the six bitsandbytes tensors with their dtypes and shapes and loads back identical",
          arguments: [true, false])
    func saveAndLoad(doubleQuant: Bool) throws {
        var sampler = NF4TestNormalSampler(seed: 8)
        let weight = NF4Weight.quantize(sampler.normals(96 * 64), rows: 96, cols: 64, blocksize: 64,
                                        doubleQuant: doubleQuant, dtype: "bfloat16")
        let entries = weight.safetensorsEntries(prefix: "model.layers.0.mlp.up_proj")
        let key = "model.layers.0.mlp.up_proj.weight"
        #expect(entries[key]?.dtype == .u8 && entries[key]?.shape == [3072, 1])
        #expect(entries[key + ".quant_map"]?.dtype == .f32 && entries[key + ".quant_map"]?.shape == [16])
        #expect(entries[key + ".absmax"]?.dtype == (doubleQuant ? .u8 : .f32))
        #expect(entries[key + ".absmax"]?.shape == [96])
        #expect(entries[key + ".nested_absmax"]?.shape == (doubleQuant ? [1] : nil))
        #expect(entries[key + ".nested_quant_map"]?.shape == (doubleQuant ? [256] : nil))
        #expect(entries[key + ".quant_state.bitsandbytes__nf4"]?.dtype == .u8)
        #expect(entries.count == (doubleQuant ? 6 : 4))

        let directory = try makeTemporaryDirectory("nf4keys")
        let path = directory + "/model.safetensors"
        try SafeTensorsWriter.write(entries, to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(NF4Weight.isStored(in: file, prefix: "model.layers.0.mlp.up_proj"))
        let loaded = try NF4Weight.load(from: file, prefix: "model.layers.0.mlp.up_proj")
        #expect(loaded.packed == weight.packed)
        #expect(loaded.absmax == weight.absmax)
        #expect(loaded.blockScales == weight.blockScales)
        #expect(loaded.dtype == "bfloat16")
        #expect(loaded.quantState == weight.quantState)
        #expect(loaded.dequantize() == weight.dequantize())
    }

    @Test("A quant state that disagrees with the stored tensors is a typed error naming the weight")
    func inconsistentState() throws {
        let weight = NF4Weight.quantize([Float](repeating: 0.5, count: 64 * 4), rows: 4, cols: 64)
        var entries = weight.safetensorsEntries(prefix: "w")
        let lie = NF4QuantState(blocksize: 64, dtype: "float32", shape: [8, 64], nested: weight.quantState.nested)
        entries["w.weight.quant_state.bitsandbytes__nf4"] = .uint8(lie.encoded(), shape: [lie.encoded().count])
        let directory = try makeTemporaryDirectory("nf4bad")
        try SafeTensorsWriter.write(entries, to: directory + "/model.safetensors")
        let file = try SafeTensorsFile(path: directory + "/model.safetensors")
        do {
            _ = try NF4Weight.load(from: file, prefix: "w")
            Issue.record("expected invalidQuantState")
        } catch let error as SafeTensorsError {
            #expect(error.code == .invalidQuantState)
            #expect(error.message.hasPrefix("w.weight: packed weight"))
        }
    }
}

@Suite("Checkpoint quantization")
struct QuantizeCheckpointTests {
    @Test("Only linear weights are quantized: embeddings, norms and lm_head are copied byte for byte")
    func linearSelection() {
        #expect(NF4CheckpointConverter.isQuantizableLinear(name: "model.layers.0.self_attn.q_proj.weight", shape: [8, 8]))
        #expect(NF4CheckpointConverter.isQuantizableLinear(name: "model.layers.3.mlp.down_proj.weight", shape: [8, 16]))
        #expect(!NF4CheckpointConverter.isQuantizableLinear(name: "model.embed_tokens.weight", shape: [40, 8]))
        #expect(!NF4CheckpointConverter.isQuantizableLinear(name: "lm_head.weight", shape: [40, 8]))
        #expect(!NF4CheckpointConverter.isQuantizableLinear(name: "model.layers.0.input_layernorm.weight", shape: [8]))
        #expect(!NF4CheckpointConverter.isQuantizableLinear(name: "model.layers.0.self_attn.q_proj.bias", shape: [8]))
    }

    @Test("Quantize then dequantize a tiny checkpoint: NF4 tensors, quantization_config, untouched tensors, bounded error")
    func libraryRoundTrip() throws {
        let root = try makeTemporaryDirectory("ckpt")
        let original = root + "/original", quantized = root + "/nf4", restored = root + "/restored"
        try FileManager.default.createDirectory(atPath: original, withIntermediateDirectories: true)
        let values = try writeTinyCheckpoint(to: original)
        let report = try NF4CheckpointConverter.quantize(input: original, output: quantized)
        #expect(report.converted.count == 14)
        #expect(report.otherFiles == ["config.json", "tokenizer.json"])

        let nf4 = try SafeTensorsCheckpoint(directory: quantized)
        #expect(nf4.contains("model.layers.1.mlp.down_proj.weight.nested_quant_map"))
        #expect(try nf4.info("model.layers.1.mlp.down_proj.weight").dtype == .u8)
        #expect(try nf4.info("lm_head.weight").dtype == .bf16)
        let source = try SafeTensorsCheckpoint(directory: original)
        #expect(try nf4.bytes("model.embed_tokens.weight") == source.bytes("model.embed_tokens.weight"))
        let config = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: quantized + "/config.json"))) as? [String: Any])
        let quantization = try #require(config["quantization_config"] as? [String: Any])
        #expect(quantization["quant_method"] as? String == "bitsandbytes")
        #expect(quantization["load_in_4bit"] as? Bool == true)
        #expect(quantization["bnb_4bit_quant_type"] as? String == "nf4")
        #expect(quantization["bnb_4bit_use_double_quant"] as? Bool == true)
        #expect(quantization["bnb_4bit_quant_storage"] as? String == "uint8")
        #expect(config["model_type"] as? String == "qwen3")

        try NF4CheckpointConverter.dequantize(input: quantized, output: restored, dtype: .f32)
        let back = try SafeTensorsCheckpoint(directory: restored)
        #expect(back.names == source.names)
        for (name, original) in values {
            #expect(try back.info(name).dtype == .f32)
            let restoredValues = try back.floats(name)
            let absmax = original.map(abs).max()!
            let worst = zip(original, restoredValues).map { abs($0 - $1) }.max()!
            if NF4CheckpointConverter.isQuantizableLinear(name: name, shape: try source.info(name).shape) {
                #expect(worst <= absmax * 0.2, "\(name)")
                #expect(worst > 0, "\(name) should carry NF4 error")
            } else {
                #expect(worst == 0, "\(name) must be unchanged")
            }
        }
    }

    @Test("config.json is written as transformers writes it: json.dumps(indent=2, sort_keys=True)")
    func configFormatting() throws {
        let parsed = try JSONSerialization.jsonObject(with: Data(#"{"b": 6.0, "a": [1, true, null], "é": 1e-06, "c": {}}"#.utf8))
        #expect(PythonStyleJSON.encode(parsed) == """
            {
              "a": [
                1,
                true,
                null
              ],
              "b": 6.0,
              "c": {},
              "\\u00e9": 1e-06
            }

            """)
    }

    @Test("A sharded checkpoint quantizes, and the NF4 output is sharded with an index when over the limit")
    func shardedInputAndOutput() throws {
        let root = try makeTemporaryDirectory("shardq")
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        _ = try writeTinyCheckpoint(to: root + "/in", layers: 2)
        let single = try SafeTensorsCheckpoint(directory: root + "/in")
        var tensors: [String: SafeTensorsEntry] = [:]
        for name in single.names { tensors[name] = try single.entry(name) }
        try FileManager.default.createDirectory(atPath: root + "/sharded", withIntermediateDirectories: true)
        try SafeTensorsCheckpoint.write(tensors, to: root + "/sharded", maxShardBytes: 20_000)
        try FileManager.default.copyItem(atPath: root + "/in/config.json", toPath: root + "/sharded/config.json")

        var options = NF4CheckpointConverter.QuantizeOptions()
        options.maxShardBytes = 10_000
        let report = try NF4CheckpointConverter.quantize(input: root + "/sharded", output: root + "/nf4", options: options)
        #expect(report.converted.count == 14)
        #expect(report.weightFiles.last == "model.safetensors.index.json")
        #expect(report.weightFiles.count > 2)
        let nf4 = try SafeTensorsCheckpoint(directory: root + "/nf4")
        let reference = try NF4Weight.load(from: nf4, prefix: "model.layers.1.mlp.gate_proj")
        let direct = NF4Weight.quantize(try single.floats("model.layers.1.mlp.gate_proj.weight"), rows: 96, cols: 64)
        #expect(reference.packed == direct.packed)
        #expect(reference.absmax == direct.absmax)
    }

    @Test("Skip entries match as transformers matches them: own name, full path, or a parent followed by a dot")
    func skipMatching() {
        let module = "model.layers.0.mlp.down_proj"
        #expect(NF4CheckpointConverter.isSkipped(module: module, by: ["down_proj"]))
        #expect(NF4CheckpointConverter.isSkipped(module: module, by: ["mlp"]))
        #expect(NF4CheckpointConverter.isSkipped(module: module, by: [module]))
        #expect(NF4CheckpointConverter.isSkipped(module: module, by: ["layers.0"]))
        #expect(!NF4CheckpointConverter.isSkipped(module: module, by: ["down"]))
        #expect(!NF4CheckpointConverter.isSkipped(module: module, by: ["layers.1"]))
    }

    @Test("Skipped modules stay in full precision and are recorded in llm_int8_skip_modules with lm_head")
    func skipModules() throws {
        let root = try makeTemporaryDirectory("skip")
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        _ = try writeTinyCheckpoint(to: root + "/in", layers: 1)
        var options = NF4CheckpointConverter.QuantizeOptions()
        options.skipModules = ["down_proj"]
        let report = try NF4CheckpointConverter.quantize(input: root + "/in", output: root + "/q", options: options)
        #expect(report.converted.count == 6)
        let nf4 = try SafeTensorsCheckpoint(directory: root + "/q")
        #expect(try nf4.info("model.layers.0.mlp.down_proj.weight").dtype == .bf16)
        #expect(try nf4.info("model.layers.0.mlp.up_proj.weight").dtype == .u8)
        let config = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: root + "/q/config.json"))) as? [String: Any])
        let quantization = try #require(config["quantization_config"] as? [String: Any])
        #expect(quantization["llm_int8_skip_modules"] as? [String] == ["down_proj", "lm_head"])
    }

    @Test("Quantizing is deterministic: the same checkpoint gives byte-identical weight files")
    func deterministic() throws {
        let root = try makeTemporaryDirectory("det")
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        _ = try writeTinyCheckpoint(to: root + "/in", layers: 1)
        try NF4CheckpointConverter.quantize(input: root + "/in", output: root + "/a")
        try NF4CheckpointConverter.quantize(input: root + "/in", output: root + "/b")
        #expect(FileManager.default.contents(atPath: root + "/a/model.safetensors")
                == FileManager.default.contents(atPath: root + "/b/model.safetensors"))
    }

    @Test("Quantizing an already quantized checkpoint or into its own directory is refused")
    func refusals() throws {
        let root = try makeTemporaryDirectory("refuse")
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        _ = try writeTinyCheckpoint(to: root + "/in", layers: 1)
        #expect(throws: NF4ConversionError.self) { try NF4CheckpointConverter.quantize(input: root + "/in", output: root + "/in") }
        try NF4CheckpointConverter.quantize(input: root + "/in", output: root + "/q")
        do {
            try NF4CheckpointConverter.quantize(input: root + "/q", output: root + "/qq")
            Issue.record("expected alreadyQuantized")
        } catch let error as NF4ConversionError {
            #expect(error.code == .alreadyQuantized)
        }
        do {
            try NF4CheckpointConverter.dequantize(input: root + "/in", output: root + "/d")
            Issue.record("expected notQuantized")
        } catch let error as NF4ConversionError {
            #expect(error.code == .notQuantized)
        }
    }
}

@Suite("quantize command line")
struct QuantizeCLITests {
    /// The built `quantize` executable, next to the test bundle in the build products directory.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("quantize"))
            directory = directory.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/quantize"))
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "build the quantize product first (swift build --product quantize)")
    }

    /// Runs quantize with `arguments`; returns exit status, stdout and stderr.
    static func run(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test("quantize then quantize --dequantize --dtype bf16 round trips a tiny checkpoint and exits 0")
    func roundTrip() throws {
        let root = try makeTemporaryDirectory("cli")
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        _ = try writeTinyCheckpoint(to: root + "/in", layers: 1)
        let quantized = try Self.run([root + "/in", root + "/nf4", "--blocksize", "32"])
        #expect(quantized.status == 0, "\(quantized.err)")
        #expect(quantized.out.contains("quantized 7 linear weights to NF4 (blocksize 32, double quant on)"))
        let nf4 = try SafeTensorsCheckpoint(directory: root + "/nf4")
        let state = try NF4QuantState.decode(try nf4.bytes("model.layers.0.self_attn.o_proj.weight.quant_state.bitsandbytes__nf4"),
                                             path: "", key: "")
        #expect(state.blocksize == 32 && state.dtype == "bfloat16" && state.shape == [64, 64])

        let restored = try Self.run([root + "/nf4", root + "/back", "--dequantize", "--dtype", "bf16"])
        #expect(restored.status == 0, "\(restored.err)")
        #expect(restored.out.contains("dequantized 7 NF4 weights"))
        let back = try SafeTensorsCheckpoint(directory: root + "/back")
        #expect(try back.info("model.layers.0.self_attn.o_proj.weight").dtype == .bf16)
        #expect(try back.info("model.layers.0.self_attn.o_proj.weight").shape == [64, 64])
        #expect(FileManager.default.fileExists(atPath: root + "/back/tokenizer.json"))
    }

    @Test("Bad usage and bad input exit 2 with a message saying what is wrong")
    func badInput() throws {
        let root = try makeTemporaryDirectory("clibad")
        let missing = try Self.run([root + "/nowhere", root + "/out"])
        #expect(missing.status == 2)
        #expect(missing.err.contains("is not a directory"))
        let blocksize = try Self.run([root, root + "/out", "--blocksize", "48"])
        #expect(blocksize.status == 2)
        #expect(blocksize.err.contains("--blocksize 48 is not supported"))
        let dtype = try Self.run([root, root + "/out", "--dtype", "bf16"])
        #expect(dtype.status == 2)
        #expect(dtype.err.contains("--dtype applies only with --dequantize"))
        let noConfig = try Self.run([root, root + "/out"])
        #expect(noConfig.status == 2)
        #expect(noConfig.err.contains("config.json: missing"))
        #expect(try Self.run([]).status == 2)
    }

    @Test("An output path that cannot be a directory is a write failure: exit 1")
    func outputFailure() throws {
        let root = try makeTemporaryDirectory("cliout")
        try FileManager.default.createDirectory(atPath: root + "/in", withIntermediateDirectories: true)
        _ = try writeTinyCheckpoint(to: root + "/in", layers: 1)
        #expect(FileManager.default.createFile(atPath: root + "/file", contents: Data([1])))
        let result = try Self.run([root + "/in", root + "/file/out"])
        #expect(result.status == 1)
        #expect(result.err.contains("cannot create the output directory"))
    }
}
