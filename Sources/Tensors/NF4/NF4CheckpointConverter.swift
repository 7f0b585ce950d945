import Foundation
import PipeBasics

/// Converts a Hugging Face safetensors checkpoint to the bitsandbytes NF4 layout transformers loads with
/// `BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4")`, and back.
///
/// Quantizing replaces every linear weight (a 2-D `….weight` that is not an embedding, a norm or `lm_head`) with the
/// six bitsandbytes tensors (`NF4Weight+SafeTensors`), copies every other tensor byte for byte, writes
/// `config.json` with the `quantization_config` transformers expects, and copies the remaining files (tokenizer,
/// generation config…). Dequantizing inverts it. Output files are written atomically; same input → same bytes.
public enum NF4CheckpointConverter {
    /// How to quantize.
    public struct QuantizeOptions: Sendable, Equatable {
        /// Values per absmax block.
        public var blocksize: Int = 64
        /// Double-quantize the absmax (`bnb_4bit_use_double_quant`).
        public var doubleQuant: Bool = true
        /// `bnb_4bit_compute_dtype` recorded in the config (what transformers computes in).
        public var computeDType: String = "bfloat16"
        /// Largest shard before the output is split with an index.
        public var maxShardBytes: Int = 5_000_000_000
        /// Modules to keep in full precision, matched as transformers matches `llm_int8_skip_modules`: an entry
        /// equal to the linear's own name (`down_proj`) or its full path, or naming a parent (`entry + "."` occurs
        /// in the path, e.g. `mlp` skips every MLP projection).
        public var skipModules: [String] = []

        /// Default options: blocksize 64, double quantization, bfloat16 compute.
        public init() {}
    }

    /// What a conversion did, for the CLI to print.
    public struct Report: Sendable, Equatable {
        /// Tensors quantized (quantize) or dequantized (dequantize), by name.
        public var converted: [String] = []
        /// Tensors copied unchanged.
        public var copied: [String] = []
        /// Weight files written.
        public var weightFiles: [String] = []
        /// Other files copied (config.json included).
        public var otherFiles: [String] = []
    }

    /// Whether a tensor is a linear weight to quantize: 2-D, named `….weight`, and not an embedding, a norm or the
    /// output head (`lm_head`), which bitsandbytes/transformers keep in full precision.
    public static func isQuantizableLinear(name: String, shape: [Int]) -> Bool {
        guard shape.count == 2, name.hasSuffix(".weight") else { return false }
        let module = name.dropLast(".weight".count).split(separator: ".").last.map(String.init) ?? ""
        let lowered = module.lowercased()
        if lowered == "lm_head" || lowered.contains("embed") || lowered.contains("norm") || lowered == "wte"
            || lowered == "wpe" { return false }
        return true
    }

    /// Whether transformers' `replace_with_bnb_linear` would leave the linear at `module` (its dotted path, without
    /// `.weight`) unconverted given `skipModules`.
    public static func isSkipped(module: String, by skipModules: [String]) -> Bool {
        let ownName = module.split(separator: ".").last.map(String.init) ?? module
        return skipModules.contains { key in key == ownName || key == module || module.contains(key + ".") }
    }

    /// The `quantization_config` transformers writes for a bitsandbytes NF4 model (`BitsAndBytesConfig.to_dict()`).
    public static func quantizationConfig(_ options: QuantizeOptions) -> [String: Any] {
        [
            "_load_in_4bit": true,
            "_load_in_8bit": false,
            "bnb_4bit_compute_dtype": options.computeDType,
            "bnb_4bit_quant_storage": "uint8",
            "bnb_4bit_quant_type": "nf4",
            "bnb_4bit_use_double_quant": options.doubleQuant,
            "llm_int8_enable_fp32_cpu_offload": false,
            "llm_int8_has_fp16_weight": false,
            // transformers replaces its default skip list (the output head) with this one when it is set, so a
            // custom list must name lm_head too or loading would expect 4-bit tensors for it.
            "llm_int8_skip_modules": options.skipModules.isEmpty ? NSNull() as Any
                : (options.skipModules.contains("lm_head") ? options.skipModules : options.skipModules + ["lm_head"]),
            "llm_int8_threshold": 6.0,
            "load_in_4bit": true,
            "load_in_8bit": false,
            "quant_method": "bitsandbytes",
        ]
    }

    /// Quantizes the checkpoint in `input` into `output` (created if needed); `progress` hears about each tensor
    /// before it is processed (index, count, name).
    @discardableResult
    public static func quantize(input: String, output: String, options: QuantizeOptions = QuantizeOptions(),
                                progress: ((_ done: Int, _ total: Int, _ name: String) -> Void)? = nil) throws -> Report {
        precondition(NF4Weight.supportedBlocksizes.contains(options.blocksize), "blocksize must be 32…4096")
        try checkDirectories(input: input, output: output)
        var config = try readConfig(input)
        guard config["quantization_config"] == nil else {
            throw NF4ConversionError(.alreadyQuantized, path: input + "/config.json",
                                     "already has a quantization_config; quantize the original checkpoint, or use --dequantize")
        }
        let checkpoint = try SafeTensorsCheckpoint(directory: input)
        var report = Report()
        var tensors: [String: SafeTensorsEntry] = [:]
        let names = checkpoint.names
        for (index, name) in names.enumerated() {
            progress?(index, names.count, name)
            let info = try checkpoint.info(name)
            let module = String(name.dropLast(".weight".count))
            let skipped = isSkipped(module: module, by: options.skipModules)
            if !skipped && isQuantizableLinear(name: name, shape: info.shape) {
                guard info.dtype.isFloatingPoint else {
                    throw NF4ConversionError(.unsupportedTensor, path: input,
                                             "linear weight '\(name)' is \(info.dtype.rawValue), not floating point")
                }
                let weight = NF4Weight.quantize(try checkpoint.floats(name), rows: info.shape[0], cols: info.shape[1],
                                                blocksize: options.blocksize, doubleQuant: options.doubleQuant,
                                                dtype: info.dtype.torchName)
                tensors.merge(weight.safetensorsEntries(prefix: String(name.dropLast(".weight".count)))) { $1 }
                report.converted.append(name)
            } else {
                tensors[name] = try checkpoint.entry(name)
                report.copied.append(name)
            }
        }
        try createDirectory(output)
        report.weightFiles = try SafeTensorsCheckpoint.write(tensors, to: output, maxShardBytes: options.maxShardBytes)
        config["quantization_config"] = quantizationConfig(options)
        try writeConfig(config, to: output)
        report.otherFiles = ["config.json"] + (try copyOtherFiles(from: input, to: output))
        return report
    }

    /// Dequantizes the NF4 checkpoint in `input` into `output`. Each NF4 linear becomes a plain `….weight` in `dtype`
    /// (default: the dtype it had before quantization); with `dtype` given, every other floating-point tensor is
    /// converted to it too and `torch_dtype` is updated, so the output is uniform.
    @discardableResult
    public static func dequantize(input: String, output: String, dtype: SafeTensorsDType? = nil,
                                  maxShardBytes: Int = 5_000_000_000,
                                  progress: ((_ done: Int, _ total: Int, _ name: String) -> Void)? = nil) throws -> Report {
        if let dtype {
            precondition([.f32, .bf16, .f16].contains(dtype), "dequantize dtype must be F32, BF16 or F16")
        }
        try checkDirectories(input: input, output: output)
        var config = try readConfig(input)
        let checkpoint = try SafeTensorsCheckpoint(directory: input)
        let stateSuffix = ".weight." + NF4QuantState.keySuffix
        let prefixes = checkpoint.names.filter { $0.hasSuffix(stateSuffix) }.map { String($0.dropLast(stateSuffix.count)) }
        guard !prefixes.isEmpty else {
            throw NF4ConversionError(.notQuantized, path: input,
                                     "holds no bitsandbytes NF4 weights (no '*\(stateSuffix)' tensors); nothing to dequantize")
        }
        let auxiliary = Set(prefixes.flatMap { prefix in
            ["absmax", "quant_map", "nested_absmax", "nested_quant_map", NF4QuantState.keySuffix, ""].map {
                $0.isEmpty ? prefix + ".weight" : prefix + ".weight." + $0
            }
        })
        var report = Report()
        var tensors: [String: SafeTensorsEntry] = [:]
        for (index, prefix) in prefixes.enumerated() {
            progress?(index, prefixes.count, prefix + ".weight")
            let weight = try NF4Weight.load(from: checkpoint, prefix: prefix)
            let target = dtype ?? SafeTensorsDType(torchName: weight.dtype).flatMap { [.f32, .bf16, .f16].contains($0) ? $0 : nil } ?? .f32
            tensors[prefix + ".weight"] = .floats(weight.dequantize(), shape: [weight.rows, weight.cols], dtype: target)
            report.converted.append(prefix + ".weight")
        }
        for name in checkpoint.names where !auxiliary.contains(name) {
            let info = try checkpoint.info(name)
            if let dtype, info.dtype.isFloatingPoint, info.dtype != dtype {
                tensors[name] = .floats(try checkpoint.floats(name), shape: info.shape, dtype: dtype)
            } else {
                tensors[name] = try checkpoint.entry(name)
            }
            report.copied.append(name)
        }
        try createDirectory(output)
        report.weightFiles = try SafeTensorsCheckpoint.write(tensors, to: output, maxShardBytes: maxShardBytes)
        config["quantization_config"] = nil
        if let dtype { config["torch_dtype"] = dtype.torchName }
        try writeConfig(config, to: output)
        report.otherFiles = ["config.json"] + (try copyOtherFiles(from: input, to: output))
        report.converted.sort()
        return report
    }

    // MARK: - Files

    private static func checkDirectories(input: String, output: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw NF4ConversionError(.invalidConfig, path: input, "is not a directory; pass a Hugging Face checkpoint directory")
        }
        let inputURL = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
        let outputURL = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath()
        guard inputURL.path != outputURL.path else {
            throw NF4ConversionError(.sameDirectory, path: output, "is the input directory; choose a separate output directory")
        }
    }

    static func readConfig(_ directory: String) throws -> [String: Any] {
        let path = directory + "/config.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NF4ConversionError(.invalidConfig, path: path, "missing; a Hugging Face checkpoint needs its config.json")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NF4ConversionError(.invalidConfig, path: path, "is not a JSON object")
        }
        return object
    }

    private static func writeConfig(_ config: [String: Any], to directory: String) throws {
        try AtomicFileWriter.write(Array(PythonStyleJSON.encode(config).utf8), to: directory + "/config.json")
    }

    private static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw NF4ConversionError(.outputFailed, path: path, "cannot create the output directory: \(error.localizedDescription)")
        }
    }

    /// Copies regular files other than weights and config.json (tokenizer, generation config, README…), sorted.
    private static func copyOtherFiles(from input: String, to output: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
        var copied: [String] = []
        for name in names.sorted() {
            if name == "config.json" || name.hasSuffix(".safetensors") || name == SafeTensorsCheckpoint.indexFileName
                || name.hasPrefix(".") { continue }
            var isDirectory: ObjCBool = false
            let source = input + "/" + name
            guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: source) else { continue }
            try AtomicFileWriter.write([UInt8](data), to: output + "/" + name)
            copied.append(name)
        }
        return copied
    }
}
