import Foundation
import StageKit
import TriageData

/// normalize: maps every source file onto the record schema (design §7) through its field mapping; rows that
/// cannot be mapped go to `quarantine.jsonl` with the reason, and the report counts them per source and reason.
StageMain.run(name: "normalize") { context in
    let params: NormalizeParams = try context.params()
    let progress = ProgressReporter()
    progress.report(done: 0, total: params.sources.count, message: "reading sources")
    var normalizer = RecordNormalizer()
    let result: RecordNormalizer.Result
    do {
        result = try normalizer.normalize(params.sources) { context.resolve($0) }
    } catch let error as DataFileError {
        throw StageError(.badInput, error.message + " (\(error.path))", fix: error.fix)
    }
    progress.report(done: params.sources.count, total: params.sources.count, message: "writing records")
    try AtomicOutput.writeDirectory(at: context.resolve(params.out)) { temp in
        try AtomicOutput.write(JSONLinesWriter.encode(result.records), to: temp.appendingPathComponent("records.jsonl"))
        try AtomicOutput.write(JSONLinesWriter.encode(result.quarantined), to: temp.appendingPathComponent("quarantine.jsonl"))
    }
    let report = NormalizeReport.json(result, mappings: params.sources).text(.jsonLines) + "\n"
    try AtomicOutput.write(report, to: context.resolve(params.report))
    FileHandle.standardError.write(Data("normalize: \(result.records.count) records, \(result.quarantined.count) quarantined\n".utf8))
}
