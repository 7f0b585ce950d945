import Testing
import Tensors
@testable import Triage

/// The ragged-batch pass the server batches with, against the one-sequence paths it replaces.
@Suite struct Qwen3PackedForwardTests {
    @Test func aPackedBatchOfUnequalSequencesGivesEachSequencesOwnLastRowLogits() {
        let model = Qwen3Fixtures.tinyModel()
        let prompts = [Qwen3Fixtures.tokens(7, seed: 1), Qwen3Fixtures.tokens(3, seed: 2), Qwen3Fixtures.tokens(11, seed: 3)]
        let packed = model.packedForward(prompts.map {
            Qwen3PackedSequence(tokens: $0, cache: Qwen3KVCache(layerCount: model.layers.count))
        })
        for (prompt, logits) in zip(prompts, packed) {
            let alone = model.logits([prompt]).value
            let last = Tensor(shape: [1, 37], scalars: Array(alone.scalars[((prompt.count - 1) * 37)...]))
            #expect(logits.shape == [1, 37])
            #expect(logits.maxAbsDifference(last) < 1e-5)
        }
    }

    @Test func sequencesAtDifferentPositionsDecodeTogetherAsTheyWouldAlone() {
        let model = Qwen3Fixtures.tinyModel()
        // One sequence is prefilled while another, already 6 tokens in, decodes its next token.
        let early = Qwen3KVCache(layerCount: model.layers.count)
        let history = Qwen3Fixtures.tokens(6, seed: 4)
        _ = model.packedForward([Qwen3PackedSequence(tokens: history, cache: early)])
        let fresh = Qwen3Fixtures.tokens(5, seed: 5)
        let next = 9
        let packed = model.packedForward([
            Qwen3PackedSequence(tokens: [next], cache: early),
            Qwen3PackedSequence(tokens: fresh, cache: Qwen3KVCache(layerCount: model.layers.count), logitRows: [0, 4]),
        ])
        #expect(early.length == 7)
        let decoded = model.logits([history + [next]]).value
        #expect(packed[0].maxAbsDifference(Tensor(shape: [1, 37], scalars: Array(decoded.scalars[(6 * 37)...]))) < 1e-5)
        let prefilled = model.logits([fresh]).value.scalars
        let rows = Tensor(shape: [2, 37], scalars: Array(prefilled[0..<37]) + Array(prefilled[(4 * 37)..<(5 * 37)]))
        #expect(packed[1].maxAbsDifference(rows) < 1e-5)
    }

    @Test func batchedCandidateScoresEqualOnePromptAtATimeWithAndWithoutAPrefixCache() {
        let model = Qwen3Fixtures.tinyModel()
        let system = Qwen3Fixtures.tokens(8, seed: 6)
        let prompts = [system + Qwen3Fixtures.tokens(4, seed: 7), Qwen3Fixtures.tokens(9, seed: 8),
                       system + Qwen3Fixtures.tokens(1, seed: 9)]
        let candidates = [[3], [5, 6, 7], [8, 2]]
        let prefix = Qwen3PrefixCache(model: model, tokens: system)
        #expect(prefix.covers(prompts[0]) && !prefix.covers(prompts[1]) && !prefix.covers(system))
        let expected = prompts.map { model.candidateLogProbabilities(promptIds: $0, candidates: candidates) }
        for prefixes in [[], [prefix]] {
            let batched = model.candidateLogProbabilities(prompts: prompts, candidates: candidates, prefixes: prefixes)
            for (row, want) in zip(batched, expected) {
                for (got, value) in zip(row, want) { #expect(abs(got - value) < 1e-4, "\(got) vs \(value)") }
            }
        }
    }
}
