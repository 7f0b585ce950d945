import Foundation
import StageKit
import TriageData

/// clean: NFC, whitespace and markup, length bounds, language check, label/rationale agreement, exact and
/// near-duplicate removal; writes kept records, the dropped list with reasons, and a report.
StageMain.run(name: "clean") { context in
    let params: CleanParams = try context.params()
    let progress = ProgressReporter()
    let records: [TriageRecord]
    let noise: [NoiseTruth]?
    do {
        records = try JSONLinesReader(url: context.resolve(params.input)).readAll(TriageRecord.self)
        let truthURL = params.noiseTruth.isEmpty ? nil : context.resolve(params.noiseTruth)
        noise = try truthURL.flatMap { FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }
            .map { try JSONLinesReader(url: $0).readAll(NoiseTruth.self) }
    } catch let error as DataFileError {
        throw StageError(.badInput, error.description)
    }
    let result = RecordCleaner.run(records, settings: params.settings) { done in
        progress.report(done: done, total: records.count, message: "cleaning")
    }
    try AtomicOutput.writeDirectory(at: context.resolve(params.out)) { temp in
        try AtomicOutput.write(JSONLinesWriter.encode(result.kept), to: temp.appendingPathComponent("records.jsonl"))
        try AtomicOutput.write(JSONLinesWriter.encode(result.dropped), to: temp.appendingPathComponent("dropped.jsonl"))
    }
    let report = CleanReport.json(input: records.count, result: result, noise: noise).text(.jsonLines) + "\n"
    try AtomicOutput.write(report, to: context.resolve(params.report))
    FileHandle.standardError.write(Data("clean: kept \(result.kept.count) of \(records.count)\n".utf8))
}
