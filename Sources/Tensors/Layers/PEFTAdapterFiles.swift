import Foundation
import PipeBasics

/// The PEFT on-disk adapter layout: `adapter_config.json` + `adapter_model.safetensors`, readable by
/// `PeftModel.from_pretrained` and written by `save_pretrained`. Tensor names are the caller's (PEFT keys such as
/// `base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`); this type owns the files.
public enum PEFTAdapterFiles {
    /// The adapter configuration file name.
    public static let configFileName = "adapter_config.json"
    /// The adapter weights file name.
    public static let weightsFileName = "adapter_model.safetensors"

    /// The fields of `adapter_config.json` PEFT needs to rebuild a LoRA adapter.
    public struct Config: Codable, Equatable, Sendable {
        /// `peft_type`, always "LORA".
        public var peftType = "LORA"
        /// `task_type`, "CAUSAL_LM" for a decoder.
        public var taskType = "CAUSAL_LM"
        /// `base_model_name_or_path`: where the base model came from.
        public var baseModelNameOrPath: String?
        /// r, lora_alpha, lora_dropout, target_modules, use_rslora.
        public var lora: LoRAConfig
        /// `bias`, always "none" (adapters carry no biases).
        public var bias = "none"
        /// `fan_in_fan_out`: false for nn.Linear weights.
        public var fanInFanOut = false
        /// `inference_mode`: true in a saved adapter.
        public var inferenceMode = true
        /// `init_lora_weights`: true (A kaiming-uniform, B zero).
        public var initLoraWeights = true
        /// `use_dora`: false.
        public var useDora = false
        /// `modules_to_save`: none.
        public var modulesToSave: [String]? = nil

        /// A configuration for `lora` on the model at `baseModelNameOrPath`.
        public init(lora: LoRAConfig, baseModelNameOrPath: String?) {
            self.lora = lora
            self.baseModelNameOrPath = baseModelNameOrPath
        }

        enum CodingKeys: String, CodingKey {
            case peftType = "peft_type", taskType = "task_type", baseModelNameOrPath = "base_model_name_or_path"
            case bias, fanInFanOut = "fan_in_fan_out", inferenceMode = "inference_mode"
            case initLoraWeights = "init_lora_weights", useDora = "use_dora", modulesToSave = "modules_to_save"
            case r, loraAlpha = "lora_alpha", loraDropout = "lora_dropout", targetModules = "target_modules"
            case useRSLoRA = "use_rslora"
        }

        /// Decodes the Hugging Face JSON form, with its defaults for absent keys.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            peftType = try c.decode(String.self, forKey: .peftType)
            taskType = try c.decodeIfPresent(String.self, forKey: .taskType) ?? "CAUSAL_LM"
            baseModelNameOrPath = try c.decodeIfPresent(String.self, forKey: .baseModelNameOrPath)
            bias = try c.decodeIfPresent(String.self, forKey: .bias) ?? "none"
            fanInFanOut = try c.decodeIfPresent(Bool.self, forKey: .fanInFanOut) ?? false
            inferenceMode = try c.decodeIfPresent(Bool.self, forKey: .inferenceMode) ?? true
            initLoraWeights = (try? c.decodeIfPresent(Bool.self, forKey: .initLoraWeights)) ?? true
            useDora = try c.decodeIfPresent(Bool.self, forKey: .useDora) ?? false
            modulesToSave = try c.decodeIfPresent([String].self, forKey: .modulesToSave)
            // PEFT saves target_modules as a list, or as a regex string; only the list form is supported.
            let targets: [String]
            if let list = try? c.decode([String].self, forKey: .targetModules) { targets = list } else {
                throw DecodingError.typeMismatch([String].self, .init(
                    codingPath: [CodingKeys.targetModules],
                    debugDescription: "target_modules must be a list of module names"))
            }
            lora = LoRAConfig(rank: try c.decode(Int.self, forKey: .r),
                              alpha: try c.decodeIfPresent(Float.self, forKey: .loraAlpha) ?? 8,
                              dropout: try c.decodeIfPresent(Float.self, forKey: .loraDropout) ?? 0,
                              targetModules: targets,
                              useRSLoRA: try c.decodeIfPresent(Bool.self, forKey: .useRSLoRA) ?? false)
        }

        /// Encodes the Hugging Face JSON form (keys in a fixed order once sorted).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(peftType, forKey: .peftType)
            try c.encode(taskType, forKey: .taskType)
            try c.encode(baseModelNameOrPath, forKey: .baseModelNameOrPath)
            try c.encode(bias, forKey: .bias)
            try c.encode(fanInFanOut, forKey: .fanInFanOut)
            try c.encode(inferenceMode, forKey: .inferenceMode)
            try c.encode(initLoraWeights, forKey: .initLoraWeights)
            try c.encode(useDora, forKey: .useDora)
            try c.encode(modulesToSave, forKey: .modulesToSave)
            try c.encode(lora.rank, forKey: .r)
            try c.encode(lora.alpha, forKey: .loraAlpha)
            try c.encode(lora.dropout, forKey: .loraDropout)
            try c.encode(lora.targetModules.sorted(), forKey: .targetModules)
            try c.encode(lora.useRSLoRA, forKey: .useRSLoRA)
        }
    }

    /// Why an adapter directory could not be read.
    public struct ReadError: Error, CustomStringConvertible, Equatable {
        /// The file concerned.
        public let path: String
        /// What is wrong and what to do.
        public let message: String
        /// The message people read: what is wrong, where, and what to do.
        public var description: String { "\(path): \(message)" }
    }

    /// Writes the two files into `directory` (created if needed), each atomically; the JSON has sorted keys so
    /// the same adapter always gives the same bytes.
    public static func write(config: Config, tensors: [String: Tensor], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = try encoder.encode(config) + Data("\n".utf8)
        try AtomicFileWriter.write([UInt8](json), to: directory + "/" + configFileName)
        let entries = tensors.mapValues { SafeTensorsEntry.float32($0.scalars, shape: $0.shape) }
        try SafeTensorsWriter.write(entries, to: directory + "/" + weightsFileName)
    }

    /// Reads the configuration and every tensor (upcast to f32) of the adapter in `directory`.
    public static func read(from directory: String) throws -> (config: Config, tensors: [String: Tensor]) {
        let configPath = directory + "/" + configFileName
        guard let data = FileManager.default.contents(atPath: configPath) else {
            throw ReadError(path: configPath, message: "cannot read the adapter configuration; is this a PEFT adapter directory?")
        }
        let config: Config
        do { config = try JSONDecoder().decode(Config.self, from: data) } catch {
            throw ReadError(path: configPath, message: "not a valid PEFT adapter_config.json (\(error))")
        }
        guard config.peftType == "LORA" else {
            throw ReadError(path: configPath, message: "peft_type is \(config.peftType); only LORA adapters are supported")
        }
        let file = try SafeTensorsFile(path: directory + "/" + weightsFileName)
        var tensors: [String: Tensor] = [:]
        for name in file.names {
            tensors[name] = Tensor(shape: try file.info(name).shape, scalars: try file.floats(name))
        }
        return (config, tensors)
    }
}
