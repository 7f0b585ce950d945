import Foundation
import StageKit
import TriageData

/// anonymize: replaces English and French personal data with typed placeholders and reports counts per type,
/// plus recall and precision against the generator's ground truth when it is available.
StageMain.run(name: "anonymize") { context in
    let params: AnonymizeParams = try context.params()
    let progress = ProgressReporter()
    let records: [TriageRecord]
    var truth: [String: [PersonalDataTruth]]?
    do {
        records = try JSONLinesReader(url: context.resolve(params.input)).readAll(TriageRecord.self)
        let truthURL = context.resolve(params.truth)
        if !params.truth.isEmpty, FileManager.default.fileExists(atPath: truthURL.path) {
            truth = Dictionary(grouping: try JSONLinesReader(url: truthURL).readAll(PersonalDataTruth.self), by: \.id)
        }
    } catch let error as DataFileError {
        throw StageError(.badInput, error.description)
    }
    let anonymizer = Anonymizer()
    let clinical = AnonymizationScore.clinicalVocabulary()
    var score = AnonymizationScore()
    var counts: [PersonalDataKind: Int] = [:]
    var changed = 0
    var output: [TriageRecord] = []
    output.reserveCapacity(records.count)
    for (i, record) in records.enumerated() {
        if i % 500 == 0 { progress.report(done: i, total: records.count, message: "anonymizing") }
        let result = anonymizer.anonymize(record.text)
        for span in result.spans { counts[span.kind, default: 0] += 1 }
        if !result.spans.isEmpty { changed += 1 }
        if let truth {
            score.add(id: record.id, text: record.text, spans: result.spans, truth: truth[record.id] ?? [],
                      clinicalWords: clinical)
        }
        var anonymized = record
        anonymized.text = result.text
        // Rationales are free text too: anonymized, not scored (the generator puts no personal data there).
        anonymized.rationale = record.rationale.map { anonymizer.anonymize($0).text }
        output.append(anonymized)
    }
    progress.report(done: records.count, total: records.count, message: "writing")
    try AtomicOutput.writeDirectory(at: context.resolve(params.out)) { temp in
        try AtomicOutput.write(JSONLinesWriter.encode(output), to: temp.appendingPathComponent("records.jsonl"))
    }
    var fields: [(String, JSONLineValue)] = [
        ("records", .int(records.count)), ("records_changed", .int(changed)),
        ("replacements", .object(PersonalDataKind.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) })),
    ]
    if truth != nil { fields.append(("ground_truth", score.json)) }
    try AtomicOutput.write(JSONLineValue.object(fields).text(.jsonLines) + "\n", to: context.resolve(params.report))
    FileHandle.standardError.write(Data("anonymize: \(changed) of \(records.count) records changed\n".utf8))
    if truth != nil, score.recall < params.minRecall || score.precision < params.minPrecision {
        throw StageError(.badInput, "anonymization recall \(score.recall) / precision \(score.precision) is below the "
            + "gate min_recall \(params.minRecall) / min_precision \(params.minPrecision)",
            fix: "see missed_examples and false_positive_examples in \(params.report)")
    }
}
