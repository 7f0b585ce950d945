// pretrain: a small Qwen3-architecture causal LM trained briefly on the training texts, written in Hugging Face
// layout (config.json + model.safetensors + tokenizer.json, tokenizer_config.json, generation_config.json); or, when `checkpoint` names one, an existing HF
// Qwen3 checkpoint validated and copied as the base.
import Foundation
import StageKit
import Tensors
import Triage
import TriageData

StageMain.run(name: "pretrain") { context in
    guard context.arguments.isEmpty else {
        throw StageError(.usage, "pretrain takes no arguments", fix: "set its options in the pretrain section of params.yaml")
    }
    let params: PretrainParameters = try context.params()
    let progress = ProgressReporter()
    TrainingRuntime.configure()
    let output = context.resolve(params.output)
    if let checkpoint = params.checkpoint {
        try PretrainStage.adoptCheckpoint(context.resolve(checkpoint), output: output, params: params, context: context)
        return
    }
    let tokenizerURL = context.resolve(params.tokenizer)
    let tokenizer: Tokenizer
    do { tokenizer = try Tokenizer(contentsOf: tokenizerURL) } catch {
        throw StageError(.badInput, "\(error)", fix: "run `pipe repro tokenize` first")
    }
    let records = try JSONLinesReader(url: context.resolve(params.train)).readAll(TriageRecord.self)
    guard !records.isEmpty else {
        throw StageError(.badInput, "\(params.train) holds no records", fix: "run `pipe repro split` first")
    }
    let separator = tokenizer.id(of: TriagePrompt.padding).map { [$0] } ?? []
    let stream = tokenizer.encodeBatch(PretrainCorpus.documents(records, seed: UInt64(params.seed), rationales: params.rationales))
        .flatMap { $0.map(Int.init) + separator }
    progress.report(done: 0, total: params.steps, message: "encoded \(records.count) texts into \(stream.count) tokens")

    let config = Qwen3Config(hiddenSize: params.hiddenSize, intermediateSize: params.intermediateSize,
                             numHiddenLayers: params.layers, numAttentionHeads: params.heads,
                             numKeyValueHeads: params.kvHeads, vocabSize: tokenizer.vocabularySize,
                             tieWordEmbeddings: true, maxPositionEmbeddings: params.seqLen * 4,
                             bosTokenId: nil, eosTokenIds: tokenizer.id(of: "<|im_end|>").map { [$0] } ?? [])
    let model = Qwen3Model(randomlyInitialized: config, seed: UInt64(params.seed))
    let replicas = (1..<params.dataParallel).map { _ in Qwen3Model(randomlyInitialized: config, seed: UInt64(params.seed)) }
    let schedule = TrainingSchedule(steps: params.steps, batchSize: params.batchSize,
                                    gradientAccumulation: params.gradientAccumulation, learningRate: Float(params.lr),
                                    warmupSteps: params.warmupSteps, weightDecay: Float(params.weightDecay),
                                    seed: UInt64(params.seed))
    let curve = try PretrainTrainer(schedule: schedule, blockLength: params.seqLen).train(model, replicas: replicas, stream: stream) { step, total, loss in
        progress.report(done: step, total: total, message: "step \(step) loss \(LossCurve.format(loss))")
    }
    try AtomicOutput.writeDirectory(at: output) { directory in
        try model.save(directory: directory.path)
        try AtomicOutput.write(Data(contentsOf: tokenizerURL), to: directory.appendingPathComponent("tokenizer.json"))
        try ChatCheckpointFiles.write(to: directory, config: config,
                                      padTokenId: separator.first)
    }
    try AtomicOutput.write(curve.csv, to: context.resolve(params.lossCurve))
    let metrics = MetricsJSON.object([
        ("source", .string("trained")),
        ("parameters", .int(model.namedParameters().map { $0.variable.value.count }.reduce(0, +))),
        ("tokens", .int(stream.count)),
        ("steps", .int(params.steps)),
        ("initial_loss", .number(curve.points.first?.value ?? 0)),
        ("final_loss", .number(curve.last ?? 0)),
    ])
    try AtomicOutput.write(metrics.metricsText + "\n", to: context.resolve(params.metrics))
    progress.report(done: params.steps, total: params.steps, message: "wrote \(params.output)", force: true)
}
