import Foundation
import Tensors
import PipeBasics

/// Reading and writing the Hugging Face model directory (`config.json` + `model.safetensors`, or shards).
extension Qwen3Model {
    /// Loads `config.json` and the safetensors weights (single file or sharded, bf16/f16 upcast to f32) from a
    /// Hugging Face checkpoint directory such as a downloaded `Qwen/Qwen3-0.6B`. Projections stored in the
    /// bitsandbytes 4-bit layout (as the `quantize` tool writes them) are read as NF4 directly.
    public static func load(directory: String, projections: Qwen3ProjectionFormat = .dense(trainable: true))
        throws -> Qwen3Model
    {
        let config = try Qwen3Config.load(from: URL(fileURLWithPath: directory + "/config.json"))
        let checkpoint = try SafeTensorsCheckpoint(directory: directory)
        var weights: [String: Tensor] = [:]
        var quantized: [String: NF4Weight] = [:]
        for i in 0..<config.numHiddenLayers {
            for path in Qwen3DecoderLayer.projectionPaths {
                let prefix = "model.layers.\(i).\(path)"
                if NF4Weight.isStored(in: checkpoint, prefix: prefix) {
                    quantized[prefix + ".weight"] = try NF4Weight.load(from: checkpoint, prefix: prefix)
                }
            }
        }
        // Under `.nf4` each f32 projection is quantized as soon as it is read and its mapped pages are dropped, so
        // the process never holds the dense projections at once (a 0.6B checkpoint: 1.8 GB of f32 projections
        // against 0.23 GB of NF4). The codes are those `NF4Linear(quantizing:)` would give: the same function.
        var quantizeOnRead: (blocksize: Int, doubleQuant: Bool)?
        if case let .nf4(blocksize, doubleQuant) = projections { quantizeOnRead = (blocksize, doubleQuant) }
        let projectionNames = Set((0..<config.numHiddenLayers).flatMap { i in
            Qwen3DecoderLayer.projectionPaths.map { "model.layers.\(i).\($0).weight" }
        })
        for name in checkpoint.names where quantized[name] == nil && !Self.isQuantizationAuxiliary(name) {
            let info = try checkpoint.info(name)
            guard info.dtype.isFloatingPoint else { continue }
            // A tied model's head is the embedding: a stored `lm_head.weight` would be read only to be ignored.
            if config.tieWordEmbeddings && name == "lm_head.weight" { continue }
            let scalars = try checkpoint.floats(name)
            try checkpoint.releasePages(name)
            if let format = quantizeOnRead, projectionNames.contains(name), info.shape.count == 2 {
                quantized[name] = .quantize(scalars, rows: info.shape[0], cols: info.shape[1],
                                            blocksize: format.blocksize, doubleQuant: format.doubleQuant)
            } else {
                weights[name] = Tensor(shape: info.shape, scalars: scalars)
            }
        }
        return try Qwen3Model(config: config, weights: weights, source: directory, projections: projections,
                              quantizedProjections: quantized)
    }

    /// bitsandbytes' side tensors of a 4-bit weight (`….weight.absmax`, `….weight.quant_map`, …).
    static func isQuantizationAuxiliary(_ name: String) -> Bool {
        name.range(of: ".weight.") != nil
    }

    /// Writes `config.json` and the f32-or-bf16 weights (adapters merged, NF4 dequantized) into `directory`,
    /// every file atomically and byte-identical for identical weights. `torch_dtype` records the storage type.
    public func save(directory: String, dtype: SafeTensorsDType = .f32, maxShardBytes: Int = 5_000_000_000) throws {
        precondition(dtype == .f32 || dtype == .bf16 || dtype == .f16, "save as f32, bf16 or f16, not \(dtype)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var config = self.config
        config.torchDtype = dtype == .f32 ? "float32" : dtype == .bf16 ? "bfloat16" : "float16"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFileWriter.write([UInt8](try encoder.encode(config) + Data("\n".utf8)),
                                   to: directory + "/config.json")
        let entries = stateDict().mapValues { SafeTensorsEntry.floats($0.scalars, shape: $0.shape, dtype: dtype) }
        try SafeTensorsCheckpoint.write(entries, to: directory, maxShardBytes: maxShardBytes)
    }

    /// Saves the LoRA adapters in the PEFT layout (`adapter_config.json` + `adapter_model.safetensors`).
    public func saveAdapter(directory: String, config: LoRAConfig, baseModelNameOrPath: String?) throws {
        let tensors = adapterStateDict()
        guard !tensors.isEmpty else {
            throw Qwen3ModelError.invalidAdapter(file: directory, problem: "the model has no LoRA adapters to save")
        }
        try PEFTAdapterFiles.write(config: .init(lora: config, baseModelNameOrPath: baseModelNameOrPath),
                                   tensors: tensors, to: directory)
    }

    /// Loads a PEFT LoRA adapter directory onto this model; returns its configuration.
    @discardableResult
    public func loadAdapter(directory: String) throws -> PEFTAdapterFiles.Config {
        let (config, tensors) = try PEFTAdapterFiles.read(from: directory)
        try loadAdapter(tensors, config: config.lora, source: directory + "/" + PEFTAdapterFiles.weightsFileName)
        return config
    }
}
