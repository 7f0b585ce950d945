import Foundation
import Logging
import Tensors
import Triage
import TriageData
@testable import TriageServe

/// A tiny servable model built once per test process: a BPE tokenizer trained on the triage prompts of a small
/// synthetic corpus (specials as the tokenize stage sets them), a random Qwen3 of the tiny pipeline's shape saved
/// in the Hugging Face layout the merge stage writes, and an evaluate.json with an operating point.
///
/// Why not run the pipeline: the server only needs a model directory with the pipeline's files; a random model
/// scores and generates through exactly the same code, in a second instead of minutes.
struct ServeFixture: Sendable {
    /// The model directory (config.json, model.safetensors, tokenizer.json, tokenizer_config.json).
    let directory: String
    /// The evaluate.json holding `merged.operating_point.immediate_bias` = `bias`.
    let report: String
    /// The bias written to the report.
    let bias: Double
    /// Records to classify (both languages).
    let records: [TriageRecord]

    static let shared: ServeFixture = {
        do { return try make() } catch { fatalError("cannot build the serve fixture: \(error)") }
    }()

    static func make() throws -> ServeFixture {
        let corpus = CorpusGenerator(spec: CorpusSpec(count: 120, seed: 7, noise: .none)).generate()
        let records = corpus.rows.prefix(24).map {
            TriageRecord(id: $0.id, source: "synthetic", lang: $0.lang, text: $0.text, label: $0.label)
        }
        let prompts = corpus.rows.map { TriagePrompt.prompt(text: $0.text, lang: $0.lang) + TriagePrompt.completion($0.label) }
        let tokenizer = try BytePairTrainer(vocabularySize: 420, specialTokens: ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
            .train(on: prompts)
        let imEnd = tokenizer.id(of: TriagePrompt.turnEnd)!
        var config = Qwen3Config(hiddenSize: 32, intermediateSize: 48, numHiddenLayers: 1, numAttentionHeads: 2,
                                 numKeyValueHeads: 1, vocabSize: tokenizer.vocabularySize, tieWordEmbeddings: true,
                                 maxPositionEmbeddings: 4096, eosTokenIds: [imEnd])
        config.initializerRange = 0.2
        let model = Qwen3Model(randomlyInitialized: config, seed: 5)
        // The special tokens' embedding rows at zero: their logit is then 0 while others spread around it, so greedy
        // decoding of this random model runs to max_tokens instead of stopping at a random <|im_end|>.
        for id in [0, 1, 2] {
            for j in 0..<config.hiddenSize { model.embedTokens.value[flat: id * config.hiddenSize + j] = 0 }
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("triage-serve-\(UUID().uuidString)")
        let directory = root.appendingPathComponent("merged")
        try model.save(directory: directory.path)
        try tokenizer.jsonData().write(to: directory.appendingPathComponent("tokenizer.json"))
        try ChatCheckpointFiles.write(to: directory, config: config, padTokenId: tokenizer.id(of: TriagePrompt.padding))
        let bias = 0.25
        let report = root.appendingPathComponent("evaluate.json")
        try Data(#"{"merged":{"accuracy":0.5,"operating_point":{"immediate_bias":\#(bias)}}}"#.utf8).write(to: report)
        return ServeFixture(directory: directory.path, report: report.path, bias: bias, records: Array(records))
    }

    /// A configuration serving the fixture with its report; `change` adjusts it.
    func configuration(_ change: (inout ServeConfiguration) -> Void = { _ in }) -> ServeConfiguration {
        var c = ServeConfiguration(source: .merged(directory: directory))
        c.evaluationReport = report
        c.port = 0
        c.maxTokensLimit = 2048
        // `swift test --parallel` runs CPU-bound training tests on the same 2-thread cooperative pool the server's
        // batcher and scheduler use: a request may wait there for a minute (seen: 83 s) before it runs. Only the
        // timeout test asks for a short one.
        c.requestTimeout = .seconds(600)
        change(&c)
        return c
    }

    /// A loaded server over the fixture.
    func server(_ change: (inout ServeConfiguration) -> Void = { _ in }) throws -> TriageServer {
        try server(scorer: nil, change)
    }

    /// A loaded server over the fixture whose batcher scores with `scorer` (when given).
    func server(scorer: TriageBatcher.Scorer?, _ change: (inout ServeConfiguration) -> Void = { _ in }) throws -> TriageServer {
        let configuration = configuration(change)
        let session = try ModelSession.load(configuration, logger: Self.logger)
        return TriageServer(session: session, configuration: configuration, logger: Self.logger, scorer: scorer)
    }

    /// A logger that keeps test output to warnings.
    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// A copy of the model directory in a fresh temp dir, for tests that damage it.
    func copyOfModel() throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("triage-serve-copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: directory, toPath: copy.path)
        return copy
    }
}
