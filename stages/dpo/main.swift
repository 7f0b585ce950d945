// dpo: direct preference optimisation of the SFT model. Policy = NF4 base + the SFT adapter (trainable);
// reference = the frozen SFT model. Sigmoid loss with β over summed completion log-probabilities; logs TRL's
// rewards/chosen, rewards/rejected, rewards/accuracies and rewards/margins.
import Foundation
import StageKit
import Tensors
import Triage
import TriageData

StageMain.run(name: "dpo") { context in
    guard context.arguments.isEmpty else {
        throw StageError(.usage, "dpo takes no arguments", fix: "set its options in the dpo section of params.yaml")
    }
    let params: DPOParameters = try context.params()
    let progress = ProgressReporter()
    TrainingRuntime.configure()
    let inputs = try TrainingInputs(baseDirectory: context.resolve(params.base), maxLength: params.maxLength)
    var rows = try JSONLinesReader(url: context.resolve(params.pairs)).readAll(DPORow.self)
    // Only the pairs the steps consume need reference log-probabilities: one pass unless max_pairs says otherwise.
    let consumed = params.steps * params.batchSize * params.gradientAccumulation
    rows = Array(rows.prefix(params.maxPairs > 0 ? params.maxPairs : consumed))
    guard !rows.isEmpty else { throw StageError(.badInput, "\(params.pairs) holds no pairs", fix: "run `pipe repro split`") }
    let pairs = rows.map(inputs.encoder.pair)
    let (model, lora) = try inputs.loadAdaptedModel(adapter: context.resolve(params.adapter), trainable: true)
    progress.report(done: 0, total: params.steps, message: "reference log-probabilities of \(pairs.count) pairs")
    let reference = DPOTrainer.logProbabilities(model, pairs, padId: inputs.encoder.padId, batchSize: 16)
    let replicas = try (1..<params.dataParallel).map { _ in
        try inputs.loadAdaptedModel(adapter: context.resolve(params.adapter), trainable: true).model
    }
    let schedule = TrainingSchedule(steps: params.steps, batchSize: params.batchSize,
                                    gradientAccumulation: params.gradientAccumulation, learningRate: Float(params.lr),
                                    warmupSteps: params.warmupSteps, weightDecay: Float(params.weightDecay),
                                    seed: UInt64(params.seed))
    let curve = try DPOTrainer(schedule: schedule, beta: params.beta, rpoAlpha: params.rpoAlpha)
        .train(model, replicas: replicas, pairs: pairs, reference: reference, padId: inputs.encoder.padId) { step, total, message in
            progress.report(done: step, total: total, message: message)
        }
    try AtomicOutput.writeDirectory(at: context.resolve(params.output)) { directory in
        try model.saveAdapter(directory: directory.path, config: lora, baseModelNameOrPath: params.base)
    }
    try AtomicOutput.write(curve.csv, to: context.resolve(params.lossCurve))
    let tail = curve.points.suffix(10)
    func mean(_ column: Int) -> Double {
        tail.map { column < 0 ? $0.value : $0.extras[column] }.reduce(0, +) / Double(max(1, tail.count))
    }
    let metrics = MetricsJSON.object([
        ("pairs", .int(pairs.count)),
        ("steps", .int(params.steps)),
        ("beta", .number(params.beta)),
        ("rpo_alpha", .number(params.rpoAlpha)),
        ("initial_loss", .number(curve.points.first?.value ?? 0)),
        ("loss", .number(mean(-1))),
        ("rewards/chosen", .number(mean(0))),
        ("rewards/rejected", .number(mean(1))),
        ("rewards/accuracies", .number(mean(2))),
        ("rewards/margins", .number(mean(3))),
        ("nll_loss", .number(mean(5))),
    ])
    try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
    progress.report(done: params.steps, total: params.steps, message: "wrote \(params.output)", force: true)
}
