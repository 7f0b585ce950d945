import Foundation
import Tensors
import TriageData

/// What every training stage after pretraining starts from: the base model directory (config.json,
/// model.safetensors, tokenizer.json) and an encoder over its tokenizer.
public struct TrainingInputs {
    /// The base model directory.
    public let baseDirectory: URL
    /// The encoder over the base's tokenizer.
    public let encoder: TriageTextEncoder

    /// Reads the tokenizer of `baseDirectory`; sequences are limited to `maxLength` tokens.
    public init(baseDirectory: URL, maxLength: Int) throws {
        self.baseDirectory = baseDirectory
        let tokenizerURL = baseDirectory.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            throw TrainingError.badInput(file: tokenizerURL.path, line: nil,
                                         problem: "the base model directory has no tokenizer.json (run `pipe repro pretrain`)")
        }
        encoder = TriageTextEncoder(tokenizer: try Tokenizer(contentsOf: tokenizerURL), maxLength: maxLength)
    }

    /// The base model with its projections stored as `projections` (NF4 for QLoRA, dense for evaluation).
    public func loadModel(projections: Qwen3ProjectionFormat) throws -> Qwen3Model {
        let model = try Qwen3Model.load(directory: baseDirectory.path, projections: projections)
        for parameter in model.namedParameters() { parameter.variable.requiresGrad = false }
        return model
    }

    /// The NF4 base (blocksize 64, double quantization) with the PEFT adapter in `adapter` applied, frozen
    /// unless `trainable`.
    public func loadAdaptedModel(adapter: URL, trainable: Bool) throws -> (model: Qwen3Model, config: LoRAConfig) {
        let model = try loadModel(projections: .nf4(blocksize: 64, doubleQuant: true))
        let config = try model.loadAdapter(directory: adapter.path).lora
        for parameter in model.namedParameters() where parameter.name.contains(".lora_") {
            parameter.variable.requiresGrad = trainable
        }
        model.setTraining(false)
        return (model, config)
    }
}
