// sft: QLoRA supervised fine-tuning. The base is quantized to NF4 (blocksize 64, double quantization) and frozen;
// LoRA adapters on the chosen projections learn the completion tokens only. Writes the adapter in PEFT layout,
// metrics, and the train/validation loss curves.
import Foundation
import StageKit
import Tensors
import Triage
import TriageData

StageMain.run(name: "sft") { context in
    guard context.arguments.isEmpty else {
        throw StageError(.usage, "sft takes no arguments", fix: "set its options in the sft section of params.yaml")
    }
    let params: SFTParameters = try context.params()
    let progress = ProgressReporter()
    TrainingRuntime.configure()
    let inputs = try TrainingInputs(baseDirectory: context.resolve(params.base), maxLength: params.maxLength)
    let rows = try JSONLinesReader(url: context.resolve(params.train)).readAll(SFTRow.self)
    let valRecords = try JSONLinesReader(url: context.resolve(params.val)).readAll(TriageRecord.self)
    guard !rows.isEmpty else { throw StageError(.badInput, "\(params.train) holds no rows", fix: "run `pipe repro split`") }
    let examples = rows.map(inputs.encoder.example)
    let validation = valRecords.prefix(params.valRows).map {
        inputs.encoder.example(SFTRow(prompt: TriagePrompt.prompt(text: $0.text, lang: $0.lang),
                                      completion: TriagePrompt.completion($0.label), lang: $0.lang, label: $0.label))
    }
    progress.report(done: 0, total: params.steps, message: "\(examples.count) examples, \(validation.count) for validation")

    let model = try inputs.loadModel(projections: .nf4(blocksize: 64, doubleQuant: true))
    try model.applyLoRA(params.lora, seed: UInt64(params.seed))
    model.gradientCheckpointing = params.gradientCheckpointing
    let replicas = try (1..<params.dataParallel).map { r in
        let replica = try inputs.loadModel(projections: .nf4(blocksize: 64, doubleQuant: true))
        try replica.applyLoRA(params.lora, seed: UInt64(params.seed) &+ UInt64(r))  // its own dropout stream
        replica.gradientCheckpointing = params.gradientCheckpointing
        return replica
    }
    let schedule = TrainingSchedule(steps: params.steps, batchSize: params.batchSize,
                                    gradientAccumulation: params.gradientAccumulation, learningRate: Float(params.lr),
                                    warmupSteps: params.warmupSteps, weightDecay: Float(params.weightDecay),
                                    seed: UInt64(params.seed))
    let initialValidation = SFTTrainer.meanLoss(model, validation, padId: inputs.encoder.padId, batchSize: params.batchSize)
    let result = try SFTTrainer(schedule: schedule, evalInterval: params.evalInterval,
                                loraPlusRatio: Float(params.loraplusLrRatio))
        .train(model, replicas: replicas, examples: examples, validation: validation, padId: inputs.encoder.padId) { step, total, message in
            progress.report(done: step, total: total, message: message, force: message.contains("val_loss"))
        }
    try AtomicOutput.writeDirectory(at: context.resolve(params.output)) { directory in
        try model.saveAdapter(directory: directory.path, config: params.lora, baseModelNameOrPath: params.base)
    }
    try AtomicOutput.write(result.train.csv, to: context.resolve(params.lossCurve))
    try AtomicOutput.write(result.validation.csv, to: context.resolve(params.valCurve))
    let metrics = MetricsJSON.object([
        ("examples", .int(examples.count)),
        ("steps", .int(params.steps)),
        ("trainable_parameters", .int(model.trainableParameters().map { $0.value.count }.reduce(0, +))),
        ("initial_val_loss", .number(initialValidation)),
        ("final_train_loss", .number(result.train.last ?? 0)),
        ("final_val_loss", .number(result.validation.last ?? initialValidation)),
    ])
    try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
    progress.report(done: params.steps, total: params.steps, message: "wrote \(params.output)", force: true)
}
