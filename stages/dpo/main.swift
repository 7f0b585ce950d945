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
    let (model, lora) = try inputs.loadAdaptedModel(adapter: context.resolve(params.adapter), trainable: true)
    let replicas = try (1..<params.dataParallel).map { _ in
        try inputs.loadAdaptedModel(adapter: context.resolve(params.adapter), trainable: true).model
    }
    for policy in [model] + replicas { policy.gradientCheckpointing = params.gradientCheckpointing }
    let group = DataParallelReplicas(primary: model, replicas: replicas)
    // Only the pairs the steps consume need reference log-probabilities: one pass unless max_pairs says otherwise.
    let consumed = params.maxPairs > 0 ? params.maxPairs : params.steps * params.batchSize * params.gradientAccumulation
    var mined: DPOPairMiner.Result?
    var rows: [DPORow]
    if params.mine.records > 0 {
        // Pairs from the SFT model's own mistakes on train records (it is the reference too), then, with `fill`,
        // the random pairs of `dpo.pairs` up to the pairs the steps consume.
        let train = try JSONLinesReader(url: context.resolve(params.mine.train)).readAll(TriageRecord.self)
        let miner = DPOPairMiner(records: params.mine.records, margin: params.mine.margin,
                                 underTriageWeight: params.mine.underTriageWeight, seed: UInt64(params.seed))
        progress.report(done: 0, total: params.steps,
                        message: "scoring \(min(train.count, params.mine.records)) train records with the SFT model")
        let result = miner.mine(from: train) { group.labelScores($0, encoder: inputs.encoder) }
        rows = result.rows
        if params.mine.fill, rows.count < consumed {
            rows += try JSONLinesReader(url: context.resolve(params.pairs)).readAll(DPORow.self).prefix(consumed - rows.count)
        }
        rows = Array(rows.prefix(consumed))
        mined = result
        guard !rows.isEmpty else {
            throw StageError(.badInput, "the SFT model ranks all \(result.scored) mined records right by \(params.mine.margin) nats or more",
                             fix: "raise dpo.mine.margin or dpo.mine.records, or set dpo.mine.fill: true")
        }
    } else {
        rows = Array(try JSONLinesReader(url: context.resolve(params.pairs)).readAll(DPORow.self).prefix(consumed))
        guard !rows.isEmpty else { throw StageError(.badInput, "\(params.pairs) holds no pairs", fix: "run `pipe repro split`") }
    }
    let pairs = rows.map(inputs.encoder.pair)
    progress.report(done: 0, total: params.steps, message: "reference log-probabilities of \(pairs.count) pairs")
    let reference = DPOTrainer.logProbabilities(group, pairs, padId: inputs.encoder.padId, batchSize: 16)
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
    ] + (mined.map { found in [("mined", .object([
        ("records", .int(found.scored)),
        ("wrong", .int(found.wrong)),
        ("under_triaged", .int(found.underTriaged)),
        ("close", .int(found.close)),
        ("pairs", .int(found.rows.count)),
    ]))] } ?? []))
    try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
    progress.report(done: params.steps, total: params.steps, message: "wrote \(params.output)", force: true)
}
