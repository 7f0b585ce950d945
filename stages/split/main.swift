// split: stratified train/val/test (label × language, near-duplicate groups kept whole, seeded), plus the SFT and
// DPO sets drawn from train, and a report with the label × language table of every split.
import Foundation
import StageKit
import TriageData

StageMain.run(name: "split") { context in
    guard context.arguments.isEmpty else {
        throw StageError(.usage, "split takes no arguments", fix: "set its options in the split section of params.yaml")
    }
    let params: SplitParameters = try context.params()
    let progress = ProgressReporter()
    let records = try JSONLinesReader(url: context.resolve(params.input)).readAll(TriageRecord.self)
    guard !records.isEmpty else {
        throw StageError(.badInput, "\(context.resolve(params.input).path) holds no records",
                         fix: "run the upstream stages (pipe repro anonymize)")
    }
    progress.report(done: 0, total: 3, message: "read \(records.count) records")
    var job = CorpusSplit(splitter: StratifiedSplitter(fractions: [.train: params.train, .val: params.val, .test: params.test],
                                                       seed: UInt64(truncatingIfNeeded: params.seed)),
                          nearDuplicateThreshold: params.nearDuplicateThreshold, sftRows: params.sftRows, dpoRows: params.dpoRows,
                          sftFindings: params.sftFindings, sftFindingsValueRepeats: params.sftFindingsValueRepeats)
    if params.maxTokens > 0 {
        do {
            job.lengthLimit = (try Tokenizer(contentsOf: context.resolve(params.tokenizer)), params.maxTokens)
        } catch let error as TokenizerError {
            throw StageError(.badInput, error.description, fix: "run `pipe repro tokenize`, or set split.max_tokens to 0")
        }
    }
    let output = job.run(records: records)
    progress.report(done: 2, total: 3, message: "split into \(output.report.count(.train))/\(output.report.count(.val))/\(output.report.count(.test))")
    try AtomicOutput.writeDirectory(at: context.resolve(params.output)) { directory in
        for split in DatasetSplit.allCases {
            try AtomicOutput.write(JSONLinesWriter.encode(output.splits[split]!), to: directory.appendingPathComponent("\(split.rawValue).jsonl"))
        }
        try AtomicOutput.write(JSONLinesWriter.encode(output.sft), to: directory.appendingPathComponent("sft.jsonl"))
        try AtomicOutput.write(JSONLinesWriter.encode(output.dpo), to: directory.appendingPathComponent("dpo.jsonl"))
        try AtomicOutput.write(output.report.markdown, to: directory.appendingPathComponent("report.md"))
    }
    try AtomicOutput.write(output.report.jsonLine.text(.jsonLines) + "\n", to: context.resolve(params.metrics))
    progress.report(done: 3, total: 3, message: "wrote \(output.sft.count) SFT and \(output.dpo.count) DPO rows")
}
