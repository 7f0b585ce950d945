import Foundation
import Logging
import Tensors
import Triage
import TriageData

/// Start-up: load what `ServeConfiguration` names and check it fits together before any port is bound, so a bad
/// model directory is one clear line and exit 2, never a crash on the first request.
extension ModelSession {
    /// Loads and validates the model, tokenizer and operating point of `configuration`.
    public static func load(_ configuration: ServeConfiguration, logger: Logger) throws(StartupError) -> ModelSession {
        let source = configuration.source
        let directory = source.modelDirectory
        try requireFile(directory + "/config.json", fix: "pass the directory `pipe repro` wrote (e.g. models/merged)")
        let config: Qwen3Config
        do { config = try Qwen3Config.load(from: URL(fileURLWithPath: directory + "/config.json")) } catch {
            throw StartupError(code: "serve.invalid-config", "\(error)")
        }
        if !FileManager.default.fileExists(atPath: directory + "/model.safetensors.index.json") {
            try requireFile(directory + "/model.safetensors", fix: "the model directory has no weights; re-run `pipe repro`")
        }
        try requireFile(directory + "/tokenizer.json", fix: "copy the tokenizer the model was trained with beside it")
        if case .adapted(_, let adapter) = source {
            try requireFile(adapter + "/adapter_config.json", fix: "pass a PEFT adapter directory (e.g. models/dpo_adapter)")
        }
        let inputs: TrainingInputs
        do { inputs = try TrainingInputs(baseDirectory: URL(fileURLWithPath: directory), maxLength: configuration.maxLength) } catch {
            throw StartupError(code: "serve.invalid-tokenizer", "\(directory)/tokenizer.json: \(error)")
        }
        try checkTokenizer(inputs.encoder.tokenizer, fits: config, path: directory + "/tokenizer.json")
        let model: Qwen3Model
        do {
            switch source {
            case .merged: model = try inputs.loadModel(projections: .dense(trainable: false))
            case .adapted(_, let adapter):
                model = try inputs.loadAdaptedModel(adapter: URL(fileURLWithPath: adapter), trainable: false).model
            }
        } catch let error as SafeTensorsError {
            throw .corruptWeights(error.path, error.message)
        } catch let error as Qwen3ModelError {
            switch error {
            case .invalidAdapter: throw StartupError(code: "serve.invalid-adapter", error.description)
            default: throw StartupError(code: "serve.config-mismatch", error.description)
            }
        } catch {
            throw StartupError(code: "serve.unreadable-model", "\(directory): \(error)")
        }
        let operatingPoint = try operatingPoint(configuration)
        logger.info("model loaded", metadata: [
            "model": .string(configuration.servedModelName), "directory": .string(directory),
            "layers": .stringConvertible(config.numHiddenLayers), "hidden": .stringConvertible(config.hiddenSize),
            "immediate_bias": .stringConvertible(operatingPoint.immediateBias),
        ])
        return ModelSession(model: model, encoder: inputs.encoder, operatingPoint: operatingPoint,
                            name: configuration.servedModelName)
    }

    /// The override, else the report's entry for this model, else (no report file at the default path) the argmax.
    static func operatingPoint(_ configuration: ServeConfiguration) throws(StartupError) -> TriageOperatingPoint {
        if let bias = configuration.immediateBias {
            guard bias >= 0 && bias.isFinite else {
                throw StartupError(code: "serve.invalid-option", "--immediate-bias must be finite and non-negative, got \(bias)")
            }
            return TriageOperatingPoint(immediateBias: bias)
        }
        guard let report = configuration.evaluationReport else { return TriageOperatingPoint() }
        return try OperatingPointReport.read(path: report, key: configuration.evaluationKey ?? configuration.source.evaluationKey)
    }

    /// The tokenizer must produce ids the model has and know the chat markers the prompts are built from.
    static func checkTokenizer(_ tokenizer: Tokenizer, fits config: Qwen3Config, path: String) throws(StartupError) {
        guard tokenizer.vocabularySize <= config.vocabSize else {
            throw StartupError(code: "serve.wrong-tokenizer",
                               "\(path) has \(tokenizer.vocabularySize) tokens but the model's vocab_size is "
                                   + "\(config.vocabSize); use the tokenizer the model was trained with")
        }
        for marker in [TriagePrompt.turnStart, TriagePrompt.turnEnd] where tokenizer.id(of: marker) == nil {
            throw StartupError(code: "serve.wrong-tokenizer",
                               "\(path) has no \(marker) token, so the triage prompt cannot be encoded as trained; "
                                   + "use the tokenizer the model was trained with")
        }
    }

    private static func requireFile(_ path: String, fix: String) throws(StartupError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path, fix: fix) }
    }
}
