import ArgumentParser
import Foundation
import Tensors

/// `quantize INPUT OUTPUT`: a Hugging Face safetensors checkpoint → the bitsandbytes NF4 layout (or back with
/// `--dequantize`). Thin: parses, calls `NF4CheckpointConverter`, prints what it returned.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize a Hugging Face safetensors checkpoint to bitsandbytes NF4, or dequantize it back.",
        discussion: """
            Every linear weight (2-D *.weight, not embeddings, norms or lm_head) becomes the bitsandbytes 4-bit \
            tensors (weight, weight.absmax, weight.quant_map, weight.nested_absmax, weight.nested_quant_map, \
            weight.quant_state.bitsandbytes__nf4); other tensors are copied unchanged and config.json gains the \
            quantization_config transformers expects. Exit status: 0 done, 2 bad usage or input, 1 write failure.
            """)

    @Argument(help: "Checkpoint directory to read (config.json + model.safetensors or a sharded index).")
    var input: String

    @Argument(help: "Directory to write (created if missing; must differ from the input).")
    var output: String

    @Flag(help: "Turn an NF4 checkpoint back into plain floating-point weights.")
    var dequantize = false

    @Option(help: "Values per absmax block: 32, 64, 128, 256, 512, 1024, 2048 or 4096.")
    var blocksize = 64

    @Flag(inversion: .prefixedNo, help: "Double-quantize the absmax (bnb_4bit_use_double_quant).")
    var doubleQuant = true

    @Option(help: "bnb_4bit_compute_dtype recorded in config.json: bfloat16, float16 or float32.")
    var computeDtype = "bfloat16"

    @Option(help: "With --dequantize: write every floating-point tensor as f32, bf16 or f16 (default: each weight's original dtype).")
    var dtype: String?

    @Option(name: .customLong("skip"),
            help: "Keep this module in full precision: a linear's own name (down_proj), its full path, or a parent (mlp). Repeatable; recorded as llm_int8_skip_modules.")
    var skipModules: [String] = []

    @Option(help: "Largest weight file in bytes before the output is sharded with model.safetensors.index.json.")
    var maxShardBytes = 5_000_000_000

    func validate() throws {
        guard NF4Weight.supportedBlocksizes.contains(blocksize) else {
            throw ValidationError("--blocksize \(blocksize) is not supported; use 32, 64, 128, 256, 512, 1024, 2048 or 4096.")
        }
        guard ["bfloat16", "float16", "float32"].contains(computeDtype) else {
            throw ValidationError("--compute-dtype '\(computeDtype)' is not bfloat16, float16 or float32.")
        }
        if let dtype {
            guard dequantize else { throw ValidationError("--dtype applies only with --dequantize.") }
            guard Self.parseDType(dtype) != nil else {
                throw ValidationError("--dtype '\(dtype)' is not f32, bf16 or f16.")
            }
        }
        guard maxShardBytes > 0 else { throw ValidationError("--max-shard-bytes must be positive.") }
        if dequantize && !skipModules.isEmpty { throw ValidationError("--skip applies only when quantizing.") }
    }

    /// `f32`/`float32`/`F32` → `.f32`, likewise bf16 and f16.
    static func parseDType(_ text: String) -> SafeTensorsDType? {
        switch text.lowercased() {
        case "f32", "float32", "fp32": return .f32
        case "bf16", "bfloat16": return .bf16
        case "f16", "float16", "fp16", "half": return .f16
        default: return nil
        }
    }

    /// On a terminal, one overwritten stderr line per tensor (long conversions show where they are).
    static func progressLine() -> ((Int, Int, String) -> Void)? {
        guard isatty(2) != 0 else { return nil }
        return { done, total, name in
            FileHandle.standardError.write("\r\u{1B}[K[\(done + 1)/\(total)] \(name)".data(using: .utf8)!)
            if done + 1 == total { FileHandle.standardError.write("\n".data(using: .utf8)!) }
        }
    }

    func run() throws {
        let report: NF4CheckpointConverter.Report
        if dequantize {
            report = try NF4CheckpointConverter.dequantize(input: input, output: output,
                                                           dtype: dtype.flatMap(Self.parseDType),
                                                           maxShardBytes: maxShardBytes, progress: Self.progressLine())
            print("dequantized \(report.converted.count) NF4 weights, copied \(report.copied.count) tensors → \(output)")
        } else {
            var options = NF4CheckpointConverter.QuantizeOptions()
            options.blocksize = blocksize
            options.doubleQuant = doubleQuant
            options.computeDType = computeDtype
            options.maxShardBytes = maxShardBytes
            options.skipModules = skipModules
            report = try NF4CheckpointConverter.quantize(input: input, output: output, options: options,
                                                         progress: Self.progressLine())
            print("quantized \(report.converted.count) linear weights to NF4 (blocksize \(blocksize), double quant "
                  + "\(doubleQuant ? "on" : "off")), copied \(report.copied.count) tensors → \(output)")
        }
        print("wrote \((report.weightFiles + report.otherFiles).joined(separator: ", "))")
    }
}
