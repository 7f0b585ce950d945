// merge: the dequantized NF4 base with the adapter folded in (PEFT merge_and_unload) → a full Hugging Face
// checkpoint. The written checkpoint is loaded back and its logits compared with the NF4 base + adapter on sample
// prompts; the stage fails, leaving no output, when they differ by more than the tolerance.
import Foundation
import StageKit
import Tensors
import Triage
import TriageData

StageMain.run(name: "merge") { context in
    guard context.arguments.isEmpty else {
        throw StageError(.usage, "merge takes no arguments", fix: "set its options in the merge section of params.yaml")
    }
    let params: MergeParameters = try context.params()
    let progress = ProgressReporter()
    TrainingRuntime.configure()
    let inputs = try TrainingInputs(baseDirectory: context.resolve(params.base), maxLength: params.maxLength)
    let records = try JSONLinesReader(url: context.resolve(params.samples)).readAll(TriageRecord.self)
    guard !records.isEmpty else { throw StageError(.badInput, "\(params.samples) holds no records", fix: "run `pipe repro split`") }
    let samples = records.prefix(params.sampleCount).map(inputs.encoder.promptIds)
    progress.report(done: 0, total: 3, message: "loading the NF4 base and \(params.adapter)")
    let (adapted, _) = try inputs.loadAdaptedModel(adapter: context.resolve(params.adapter), trainable: false)
    let output = context.resolve(params.output)
    var difference = 0.0
    try AtomicOutput.writeDirectory(at: output) { directory in
        let merged = try Qwen3Model(config: adapted.config, weights: adapted.stateDict(), source: "merged weights",
                                    projections: .dense(trainable: false))
        try merged.save(directory: directory.path)
        try ChatCheckpointFiles.copyTokenizer(from: inputs.baseDirectory, to: directory)
        progress.report(done: 1, total: 3, message: "checking merged logits on \(samples.count) prompts")
        let reloaded = try Qwen3Model.load(directory: directory.path, projections: .dense(trainable: false))
        difference = try MergeCheck(tolerance: params.tolerance).verify(merged: reloaded, reference: adapted, samples: samples)
    }
    let metrics = MetricsJSON.object([
        ("samples", .int(samples.count)),
        ("tolerance", .number(params.tolerance)),
        ("max_abs_logit_difference", .number(difference)),
        ("passed", .bool(true)),
    ])
    try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
    progress.report(done: 3, total: 3, message: "merged into \(params.output) (max logit difference \(LossCurve.format(difference)))")
}
