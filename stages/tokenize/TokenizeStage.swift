import Foundation
import StageKit
import TriageData

/// The tokenize stage: train (or load) the tokenizer, encode the records into shards, write the metrics.
enum TokenizeStage {
    static func run(_ context: StageContext) throws {
        let params: TokenizeParameters = try context.params()
        let input = context.resolve(params.input)
        let records = try JSONLinesReader(url: input).readAll(TriageRecord.self)
        guard !records.isEmpty else {
            throw StageError(.badInput, "\(input.path) holds no records", fix: "run the upstream stages (pipe repro anonymize)")
        }
        let source: CorpusTokenization.Source
        if let file = params.tokenizer {
            let url = context.resolve(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw StageError(.badParams, "param 'tokenize.tokenizer' names \(url.path), which does not exist",
                                 fix: "point it at a tokenizer.json, or set it to null to train one")
            }
            source = .load(url)
        } else {
            source = .train(vocabularySize: params.vocabSize, specialTokens: params.specialTokens,
                            minimumFrequency: params.minFrequency)
        }
        let progress = ProgressReporter()
        var report: CorpusTokenization.Report?
        do {
            try AtomicOutput.writeDirectory(at: context.resolve(params.output)) { directory in
                report = try CorpusTokenization(source: source, shardTokens: params.shardTokens)
                    .run(records: records, into: directory) { progress.report(done: $0, total: $1, message: $2) }
            }
        } catch let error as TokenizerError {
            throw StageError(.badInput, error.description)
        }
        try AtomicOutput.write(report!.jsonLine.text(.jsonLines) + "\n", to: context.resolve(params.metrics))
    }
}
