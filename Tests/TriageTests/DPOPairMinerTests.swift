import Testing
import TriageData
@testable import Triage

/// The DPO pair miner with a stubbed scorer: fixed label scores per record stand in for the SFT model.
@Suite struct DPOPairMinerTests {
    private func record(_ id: String, _ label: TriageLabel, lang: RecordLanguage = .en) -> TriageRecord {
        TriageRecord(id: id, source: "test", lang: lang, text: "note \(id)", label: label, rationale: nil)
    }

    /// Scores in (immediate, medium, delayed) order, looked up by record id.
    private let scores: [String: [Double]] = [
        "missed": [-2.0, -0.2, -5.0],       // immediate called medium: under-triage
        "over": [-0.1, -3.0, -4.0],         // delayed called immediate
        "close": [-0.4, -0.9, -6.0],        // immediate, right by 0.5 nats over medium
        "clear": [-5.0, -0.01, -7.0],       // medium, right by 4.99 nats
    ]
    private func stub(_ records: [TriageRecord]) -> [[Double]] { records.map { scores[$0.id]! } }
    private var pool: [TriageRecord] {
        [record("missed", .immediate), record("over", .delayed, lang: .fr), record("close", .immediate), record("clear", .medium)]
    }

    @Test func aWrongCallGivesAPairWhoseRejectedLabelIsTheOneTheModelPrefers() {
        let miner = DPOPairMiner(records: 10, margin: 0, seed: 1)
        let found = miner.pairs(for: pool, scores: stub(pool))
        #expect(found.rows.count == 2 && found.wrong == 2 && found.underTriaged == 1 && found.close == 0 && found.scored == 4)
        let missed = found.rows.first { $0.prompt == TriagePrompt.prompt(text: "note missed", lang: .en) }
        #expect(missed?.chosen == TriagePrompt.completion(.immediate) && missed?.rejected == TriagePrompt.completion(.medium))
        let over = found.rows.first { $0.lang == .fr }
        #expect(over?.prompt == TriagePrompt.prompt(text: "note over", lang: .fr))
        #expect(over?.chosen == TriagePrompt.completion(.delayed) && over?.rejected == TriagePrompt.completion(.immediate))
    }

    @Test func aRightCallWithinTheMarginGivesAPairAgainstItsRunnerUpAndAClearOneGivesNone() {
        let found = DPOPairMiner(records: 10, margin: 1, seed: 1).pairs(for: pool, scores: stub(pool))
        #expect(found.close == 1 && found.rows.count == 3)
        let close = found.rows.first { $0.prompt.contains("note close") }
        #expect(close?.rejected == TriagePrompt.completion(.medium))
        #expect(!found.rows.contains { $0.prompt.contains("note clear") })
        // A margin past the clear case's lead takes it too, against its runner-up (immediate at −5 beats delayed).
        let all = DPOPairMiner(records: 10, margin: 5, seed: 1).pairs(for: pool, scores: stub(pool))
        #expect(all.rows.last?.rejected == TriagePrompt.completion(.immediate) && all.close == 2)
    }

    @Test func pairsWhoseTruthIsImmediateAreRepeatedByTheUnderTriageWeight() {
        let found = DPOPairMiner(records: 10, margin: 1, underTriageWeight: 3, seed: 1).pairs(for: pool, scores: stub(pool))
        #expect(found.rows.filter { $0.chosen == TriagePrompt.completion(.immediate) }.count == 6)  // missed, close × 3
        #expect(found.rows.filter { $0.chosen == TriagePrompt.completion(.delayed) }.count == 1)
        #expect(found.wrong == 2 && found.close == 1)                                                // counts records
    }

    @Test func theCandidatesAreASeededDrawSoTheSameSeedMinesTheSamePairs() {
        let many = (0..<40).map { record("r\($0)", TriageLabel.allCases[$0 % 3]) }
        // Every record called medium: the immediate and delayed ones are mistakes.
        let allMedium: ([TriageRecord]) -> [[Double]] = { $0.map { _ in [-3, -0.1, -4] } }
        let first = DPOPairMiner(records: 12, margin: 0, seed: 7).mine(from: many, score: allMedium)
        let again = DPOPairMiner(records: 12, margin: 0, seed: 7).mine(from: many, score: allMedium)
        let other = DPOPairMiner(records: 12, margin: 0, seed: 8).mine(from: many, score: allMedium)
        #expect(first == again && first.scored == 12)
        #expect(first.rows != other.rows)
        #expect(first.rows.allSatisfy { $0.rejected == TriagePrompt.completion(.medium) })
        // Asking for more records than the pool holds scores each of them once.
        #expect(DPOPairMiner(records: 100, margin: 0, seed: 7).candidates(from: many).map(\.id).sorted() == many.map(\.id).sorted())
    }

    @Test func aTinyModelScoresRecordsThroughTheClassifierAndItsWrongChoicesBecomeTheRejectedLabels() throws {
        let records = (0..<9).map { record("t\($0)", TriageLabel.allCases[$0 % 3]) }
        let tokenizer = try BytePairTrainer(vocabularySize: 300, specialTokens: [TriagePrompt.padding, TriagePrompt.turnStart, TriagePrompt.turnEnd])
            .train(on: records.map { TriagePrompt.prompt(text: $0.text, lang: $0.lang) } + ["immediate medium delayed"])
        var config = Qwen3Fixtures.tinyConfig(vocab: tokenizer.vocabularySize)
        config.initializerRange = 0.3
        let model = Qwen3Model(randomlyInitialized: config, seed: 3)
        let encoder = TriageTextEncoder(tokenizer: tokenizer, maxLength: 64)
        let group = DataParallelReplicas(primary: model, replicas: [])
        let scored = group.labelScores(records, encoder: encoder)
        let classifier = TriageClassifier(model: model, encoder: encoder)
        #expect(scored == records.map { classifier.scores(promptIds: encoder.promptIds($0)) })
        let found = DPOPairMiner(records: 9, margin: 0, seed: 0).mine(from: records) { group.labelScores($0, encoder: encoder) }
        let predicted = records.map { classifier.predict(promptIds: encoder.promptIds($0)) }
        #expect(found.wrong == zip(records, predicted).filter { $0.label != $1 }.count && found.wrong > 0)
        for row in found.rows {
            let source = try #require(records.first { TriagePrompt.prompt(text: $0.text, lang: $0.lang) == row.prompt })
            let choice = predicted[try #require(records.firstIndex(of: source))]
            #expect(row.chosen == TriagePrompt.completion(source.label) && row.rejected == TriagePrompt.completion(choice))
        }
    }
}
