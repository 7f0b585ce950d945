// evaluate: the base, SFT, DPO and merged models on the test split and on the hand-written notes — accuracy,
// macro-F1, per-language accuracy, confusion matrix, under-triage rate, preference accuracy on held-out pairs, latency
// per prediction — with SVG plots of the loss curves and confusion matrices.
import Foundation
import StageKit
import Synchronization
import Tensors
import Triage
import TriageData

StageMain.run(name: "evaluate") { context in
    guard context.arguments.isEmpty else {
        throw StageError(.usage, "evaluate takes no arguments", fix: "set its options in the evaluate section of params.yaml")
    }
    let params: EvaluateParameters = try context.params()
    let progress = ProgressReporter()
    TrainingRuntime.configure()
    let inputs = try TrainingInputs(baseDirectory: context.resolve(params.base), maxLength: params.maxLength)
    var records = try JSONLinesReader(url: context.resolve(params.test)).readAll(TriageRecord.self)
    if params.limit > 0 { records = Array(records.prefix(params.limit)) }
    guard !records.isEmpty else { throw StageError(.badInput, "\(params.test) holds no records", fix: "run `pipe repro split`") }
    let pairs = TrainingSetBuilder(seed: UInt64(params.seed)).dpoRows(from: records, count: params.preferencePairs)
    let handwritten = try params.handwritten.map { path -> [TriageRecord] in
        let url = context.resolve(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw StageError(.badInput, "evaluate.handwritten: \(path) does not exist",
                             fix: "restore data/handwritten/notes.jsonl from git, or set evaluate.handwritten: null to skip the hand-written split")
        }
        let notes = try JSONLinesReader(url: url).readAll(TriageRecord.self)
        guard !notes.isEmpty else {
            throw StageError(.badInput, "\(path) holds no records", fix: "point evaluate.handwritten at the notes, or set it to null")
        }
        return notes
    }
    let calibration = params.maxUnderTriage == nil ? []
        : try JSONLinesReader(url: context.resolve(params.calibration)).readAll(TriageRecord.self)

    let candidates: [(name: String, load: () throws -> Qwen3Model)] = [
        ("base", { try inputs.loadModel(projections: .dense(trainable: false)) }),
        ("sft", { try inputs.loadAdaptedModel(adapter: context.resolve(params.sftAdapter), trainable: false).model }),
        ("dpo", { try inputs.loadAdaptedModel(adapter: context.resolve(params.dpoAdapter), trainable: false).model }),
        ("merged", { try Qwen3Model.load(directory: context.resolve(params.merged).path, projections: .dense(trainable: false)) }),
    ]
    let total = candidates.count * (calibration.count + records.count + (handwritten?.count ?? 0) + pairs.count)
    // The models are independent, so they run side by side (libdispatch runs at most one iteration per core;
    // OpenBLAS is single-threaded here): each record is still scored by one model alone, so the report does not
    // depend on how many run at once.
    let done = Mutex(0)
    let encoder = inputs.encoder, testRecords = records
    var outcomes = [Result<ModelEvaluation, any Error>?](repeating: nil, count: candidates.count)
    outcomes.withUnsafeMutableBufferPointer { slots in
        nonisolated(unsafe) let slots = slots
        nonisolated(unsafe) let candidates = candidates
        DispatchQueue.concurrentPerform(iterations: candidates.count) { index in
            let candidate = candidates[index]
            slots[index] = Result {
                let model = try candidate.load()
                return ModelEvaluation.run(name: candidate.name, model: model, encoder: encoder,
                                           records: testRecords, handwritten: handwritten, calibration: calibration,
                                           maxUnderTriage: params.maxUnderTriage, pairs: pairs) { message in
                    let count = done.withLock { value in value += 1; return value }
                    progress.report(done: count, total: total, message: "\(candidate.name): \(message)")
                }
            }
        }
    }
    let results = try outcomes.map { try $0!.get() }
    try EvaluationReport(results: results).write(params: params, context: context)
    let summary = results.map { "\($0.name) \(LossCurve.format($0.metrics.accuracy))" }.joined(separator: ", ")
    progress.report(done: total, total: total, message: "accuracy: \(summary)", force: true)
}
