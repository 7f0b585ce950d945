import Foundation
import StageKit
import Tensors
import Triage

/// The checkpoint branch of the pretrain stage: an existing Hugging Face Qwen3 directory is loaded (which checks
/// its config and every weight's name and shape) and copied as the base, with its own tokenizer.json.
enum PretrainStage {
    static func adoptCheckpoint(_ source: URL, output: URL, params: PretrainParameters, context: StageContext) throws {
        let progress = ProgressReporter()
        progress.report(done: 0, total: 1, message: "validating \(source.path)")
        let model: Qwen3Model
        do { model = try Qwen3Model.load(directory: source.path) } catch {
            throw StageError(.badInput, "pretrain.checkpoint \(source.path) is not a usable Qwen3 checkpoint: \(error)",
                             fix: "point pretrain.checkpoint at a Hugging Face Qwen3 directory, or set it to null to train one")
        }
        let tokenizer = source.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizer.path) else {
            throw StageError(.badInput, "\(tokenizer.path) is missing", fix: "a base checkpoint must ship its tokenizer.json")
        }
        try AtomicOutput.writeDirectory(at: output) { directory in
            try model.save(directory: directory.path)
            try ChatCheckpointFiles.copyTokenizer(from: source, to: directory)
        }
        let metrics = MetricsJSON.object([
            ("source", .string(source.path)),
            ("parameters", .int(model.namedParameters().map { $0.variable.value.count }.reduce(0, +))),
        ])
        try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
        try AtomicOutput.write("step,loss,learning_rate\n", to: context.resolve(params.lossCurve))
        progress.report(done: 1, total: 1, message: "adopted \(source.lastPathComponent)")
    }
}
