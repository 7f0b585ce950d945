import Foundation
import Testing
@testable import Tensors

/// Forward values of the ops against naive references.
@Suite struct OpForwardTests {
    @Test func matmulMatchesANaiveTripleLoop() {
        let a = randomTensor([5, 7], seed: 1), b = randomTensor([7, 3], seed: 2)
        let c = Tensor.matmul(a, b)
        for i in 0..<5 { for j in 0..<3 {
            var s: Float = 0
            for k in 0..<7 { s += a[flat: i * 7 + k] * b[flat: k * 3 + j] }
            #expect(abs(c[flat: i * 3 + j] - s) < 1e-5)
        } }
        #expect(Tensor.matmul(a.transposed(), b, transposeA: true).maxAbsDifference(c) < 1e-5)
        #expect(Tensor.matmul(a, b.transposed(), transposeB: true).maxAbsDifference(c) < 1e-5)
    }

    @Test func softmaxRowsSumToOneAndLogSoftmaxIsItsLog() {
        let x = Variable(randomTensor([4, 9], seed: 3, scale: 5))
        let p = x.softmax().value, logp = x.logSoftmax().value
        for r in 0..<4 {
            var s: Float = 0
            for j in 0..<9 { s += p[flat: r * 9 + j]; #expect(abs(log(p[flat: r * 9 + j]) - logp[flat: r * 9 + j]) < 1e-4) }
            #expect(abs(s - 1) < 1e-5)
        }
    }

    @Test func rmsNormDividesByTheRootMeanSquareAndAppliesTheGain() {
        let x = Variable(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4]))
        let w = Variable(Tensor(shape: [4], scalars: [1, 1, 2, 0.5]))
        let y = x.rmsNorm(weight: w, eps: 1e-6).value
        let rms = Float((30.0 / 4 + 1e-6).squareRoot())
        #expect(y.maxAbsDifference(Tensor(shape: [1, 4], scalars: [1 / rms, 2 / rms, 6 / rms, 2 / rms])) < 1e-6)
    }

    @Test func ropeRotatesHalfSplitPairsLikeHuggingFaceRotateHalf() {
        // head_dim 4: pairs (x0, x2) at frequency 1 and (x1, x3) at frequency θ^(-1/2).
        let x = Tensor(shape: [1, 1, 1, 4], scalars: [1, 2, 3, 4])
        let y = Variable(x).rotaryEmbedding(positions: [3], theta: 100).value
        let f0: Float = 3, f1: Float = 3 / 10
        let expected: [Float] = [1 * cos(f0) - 3 * sin(f0), 2 * cos(f1) - 4 * sin(f1),
                                 3 * cos(f0) + 1 * sin(f0), 4 * cos(f1) + 2 * sin(f1)]
        #expect(y.maxAbsDifference(Tensor(shape: [1, 1, 1, 4], scalars: expected)) < 1e-5)
        #expect(Variable(x).rotaryEmbedding(positions: [0], theta: 100).value == x)
    }

    @Test func groupedQueryAttentionMatchesANaiveReference() {
        let (b, t, hq, hkv, d) = (2, 5, 4, 2, 3)
        let q = randomTensor([b, t, hq, d], seed: 4), k = randomTensor([b, t, hkv, d], seed: 5)
        let v = randomTensor([b, t, hkv, d], seed: 6)
        let out = Variable.causalAttention(query: Variable(q), key: Variable(k), value: Variable(v)).value
        for bi in 0..<b { for h in 0..<hq { for i in 0..<t {
            let g = h / (hq / hkv)
            var scores = [Float](repeating: 0, count: i + 1)
            for j in 0...i {
                var s: Float = 0
                for c in 0..<d { s += q[flat: ((bi * t + i) * hq + h) * d + c] * k[flat: ((bi * t + j) * hkv + g) * d + c] }
                scores[j] = s / Float(d).squareRoot()
            }
            let m = scores.max()!
            let e = scores.map { exp($0 - m) }
            let z = e.reduce(0, +)
            for c in 0..<d {
                var o: Float = 0
                for j in 0...i { o += e[j] / z * v[flat: ((bi * t + j) * hkv + g) * d + c] }
                #expect(abs(out[flat: ((bi * t + i) * hq + h) * d + c] - o) < 1e-5)
            }
        } } }
    }

    @Test func attentionOverCachedKeysEqualsTheLastRowsOfFullAttention() {
        let q = randomTensor([1, 6, 2, 4], seed: 7), k = randomTensor([1, 6, 1, 4], seed: 8)
        let v = randomTensor([1, 6, 1, 4], seed: 9)
        let full = Variable.causalAttention(query: Variable(q), key: Variable(k), value: Variable(v)).value
        let lastQuery = Tensor(shape: [1, 2, 2, 4], scalars: Array(q.scalars[(4 * 8)...]))
        let tail = Variable.causalAttention(query: Variable(lastQuery), key: Variable(k), value: Variable(v)).value
        #expect(tail.maxAbsDifference(Tensor(shape: [1, 2, 2, 4], scalars: Array(full.scalars[(4 * 8)...]))) < 1e-6)
    }

    @Test func crossEntropyIsTheMeanNegativeLogLikelihoodOverUnignoredTargets() {
        let logits = randomTensor([3, 4], seed: 10)
        let logp = Variable(logits).logSoftmax().value
        let loss = Variable.crossEntropy(logits: Variable(logits), targets: [2, ignoreIndex, 1]).value.scalar
        #expect(abs(loss - -(logp[flat: 2] + logp[flat: 9]) / 2) < 1e-5)
        let lp = Variable.tokenLogProbabilities(logits: Variable(logits), targets: [2, ignoreIndex, 1]).value
        #expect(lp.maxAbsDifference(Tensor(shape: [3], scalars: [logp[flat: 2], 0, logp[flat: 9]])) < 1e-5)
    }

    @Test func crossEntropyWithEveryTargetIgnoredIsZeroWithoutGradient() {
        let logits = Variable(randomTensor([2, 3], seed: 11), requiresGrad: true)
        let loss = Variable.crossEntropy(logits: logits, targets: [ignoreIndex, ignoreIndex])
        loss.backward()
        #expect(loss.value.scalar == 0)
        #expect(logits.grad == nil)
    }

    @Test func frozenInputsBuildNoGraph() {
        let x = Variable(randomTensor([2, 2], seed: 12))
        let y = Variable.matmul(x, x).silu()
        #expect(!y.requiresGrad && y.isLeaf)
    }

    @Test func tensorsCopyOnWrite() {
        let a = Tensor(shape: [2], scalars: [1, 2])
        var b = a
        b[flat: 0] = 5
        #expect(a.scalars == [1, 2] && b.scalars == [5, 2])
    }

    @Test func theSameSeedGivesTheSameStreamAndNormalSamplesHaveUnitVariance() {
        var g1 = SeededGenerator(seed: 42), g2 = SeededGenerator(seed: 42)
        #expect((0..<10).map { _ in g1.next() } == (0..<10).map { _ in g2.next() })
        let samples = Tensor.normal([100_000], using: &g1)
        let mean = samples.sum() / 100_000
        let variance = Float(samples.squaredNorm() / 100_000) - mean * mean
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02)
    }
}
