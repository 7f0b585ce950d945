import Testing
@testable import Tensors

/// Every differentiable op, checked against finite differences.
@Suite struct GradientCheckTests {
    let checker = GradientCheck()

    @Test func addSubtractAndMultiplyGradientsMatchFiniteDifferences() {
        let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2)
        #expect(checker.check([a, b]) { v in (v[0] + v[1]) * v[0] - v[1] * 0.5 }.isEmpty)
    }

    @Test func siluGradientMatchesFiniteDifferences() {
        #expect(checker.check([randomTensor([2, 5], seed: 3, scale: 2)]) { v in v[0].silu() }.isEmpty)
    }

    @Test func sigmoidAndLogSigmoidGradientsMatchFiniteDifferences() {
        #expect(checker.check([randomTensor([7], seed: 4, scale: 3)]) { v in v[0].sigmoid() }.isEmpty)
        #expect(checker.check([randomTensor([7], seed: 5, scale: 3)]) { v in v[0].logSigmoid() }.isEmpty)
    }

    @Test func sumMeanSumLastAxisAndReshapeGradientsMatchFiniteDifferences() {
        let x = randomTensor([2, 3, 4], seed: 6)
        #expect(checker.check([x]) { v in v[0].sumLastAxis() }.isEmpty)
        #expect(checker.check([x]) { v in v[0].reshaped([6, 4]).mean() }.isEmpty)
        #expect(checker.check([x]) { v in v[0].sum() }.isEmpty)
    }

    @Test func matmulGradientMatchesFiniteDifferences() {
        let a = randomTensor([3, 5], seed: 7), b = randomTensor([5, 2], seed: 8)
        #expect(checker.check([a, b]) { v in Variable.matmul(v[0], v[1]) }.isEmpty)
    }

    @Test func linearGradientMatchesFiniteDifferencesForInputAndWeight() {
        let x = randomTensor([2, 3, 4], seed: 9), w = randomTensor([5, 4], seed: 10)
        #expect(checker.check([x, w]) { v in Variable.linear(v[0], weight: v[1]) }.isEmpty)
    }

    @Test func singleRowLinearThroughSgemvGradientMatchesFiniteDifferences() {
        let x = randomTensor([1, 5], seed: 31), w = randomTensor([3, 5], seed: 32)
        #expect(checker.check([x, w]) { v in Variable.linear(v[0], weight: v[1]) }.isEmpty)
        let y = Variable.linear(Variable(x), weight: Variable(w)).value
        #expect(y.maxAbsDifference(Tensor.matmul(x, w, transposeB: true)) < 1e-5)
    }

    @Test func batchedMatmulGradientMatchesFiniteDifferencesWithAndWithoutTranspose() {
        let a = randomTensor([2, 3, 4], seed: 11), b = randomTensor([2, 4, 5], seed: 12)
        let bt = randomTensor([2, 5, 4], seed: 13)
        #expect(checker.check([a, b]) { v in Variable.batchedMatmul(v[0], v[1]) }.isEmpty)
        #expect(checker.check([a, bt]) { v in Variable.batchedMatmul(v[0], v[1], transposeB: true) }.isEmpty)
    }

    @Test func softmaxAndLogSoftmaxGradientsMatchFiniteDifferences() {
        let x = randomTensor([3, 6], seed: 14, scale: 2)
        #expect(checker.check([x]) { v in v[0].softmax() }.isEmpty)
        #expect(checker.check([x]) { v in v[0].logSoftmax() }.isEmpty)
    }

    @Test func rmsNormGradientMatchesFiniteDifferencesForInputAndGain() {
        let x = randomTensor([4, 8], seed: 15), w = randomTensor([8], seed: 16)
        #expect(checker.check([x, w]) { v in v[0].rmsNorm(weight: v[1], eps: 1e-6) }.isEmpty)
    }

    @Test func rotaryEmbeddingGradientMatchesFiniteDifferences() {
        let x = randomTensor([2, 3, 2, 8], seed: 17)
        #expect(checker.check([x]) { v in v[0].rotaryEmbedding(positions: [4, 5, 6], theta: 10_000) }.isEmpty)
    }

    @Test func embeddingGradientScatterAddsRepeatedIds() {
        let table = randomTensor([5, 3], seed: 18)
        #expect(checker.check([table]) { v in Variable.embedding([1, 4, 1, 0], table: v[0]) }.isEmpty)
    }

    @Test func groupedQueryCausalAttentionGradientMatchesFiniteDifferences() {
        let q = randomTensor([2, 4, 4, 3], seed: 19), k = randomTensor([2, 4, 2, 3], seed: 20)
        let v = randomTensor([2, 4, 2, 3], seed: 21)
        #expect(checker.check([q, k, v]) { x in
            Variable.causalAttention(query: x[0], key: x[1], value: x[2])
        }.isEmpty)
    }

    @Test func attentionWithCachedKeysGradientMatchesFiniteDifferences() {
        let q = randomTensor([1, 2, 2, 4], seed: 22), k = randomTensor([1, 5, 1, 4], seed: 23)
        let v = randomTensor([1, 5, 1, 4], seed: 24)
        #expect(checker.check([q, k, v]) { x in
            Variable.causalAttention(query: x[0], key: x[1], value: x[2])
        }.isEmpty)
    }

    @Test func maskedCrossEntropyGradientMatchesFiniteDifferences() {
        let logits = randomTensor([5, 7], seed: 25, scale: 2)
        #expect(checker.check([logits]) { v in
            Variable.crossEntropy(logits: v[0], targets: [3, ignoreIndex, 0, 6, ignoreIndex])
        }.isEmpty)
    }

    @Test func tokenLogProbabilityGradientMatchesFiniteDifferences() {
        let logits = randomTensor([4, 6], seed: 26, scale: 2)
        #expect(checker.check([logits]) { v in
            Variable.tokenLogProbabilities(logits: v[0], targets: [2, 5, ignoreIndex, 0])
        }.isEmpty)
    }

    @Test func dropoutGradientUsesTheSameMaskAsTheForwardPass() {
        let x = randomTensor([20], seed: 27)
        let checker = self.checker
        #expect(checker.check([x]) { v in
            var generator = SeededGenerator(seed: 99)   // the same mask on every evaluation
            return v[0].dropout(0.3, using: &generator)
        }.isEmpty)
    }

    @Test func gradientsOfASharedInputAddUpAcrossUses() {
        let x = randomTensor([3, 3], seed: 28)
        #expect(checker.check([x]) { v in Variable.matmul(v[0], v[0]).silu() + v[0] }.isEmpty)
    }
}

@Test func theGradientCheckCatchesAWrongBackward() {
    // y = 2x with a backward that claims 3: the checker must report every element.
    let failures = GradientCheck().check([randomTensor([4], seed: 30)]) { v in
        let x = v[0]
        return Variable.result(x.value * 2, parents: [x]) { g in x.accumulate(g * 3) }
    }
    #expect(failures.count == 4)
}
