import Foundation
import Testing
@testable import Tensors

@Suite struct LinearLayerTests {
    @Test func loRAStartsEqualToItsBaseWithAInsidePEFTsKaimingBound() {
        var generator = SeededGenerator(seed: 1)
        let base = DenseLinear(inFeatures: 64, outFeatures: 10, using: &generator)
        let lora = LoRALinear(base: base, config: LoRAConfig(rank: 8, alpha: 16), using: &generator)
        let bound = 1 / Float(64).squareRoot()
        let a = lora.loraA.value.scalars
        #expect(lora.loraA.shape == [8, 64] && lora.loraB.shape == [10, 8])
        #expect(a.allSatisfy { abs($0) <= bound } && a.map(abs).max()! > 0.95 * bound)
        #expect(lora.loraB.value.scalars.allSatisfy { $0 == 0 })
        let x = Variable(randomTensor([3, 64], seed: 2))
        #expect(lora(x).value == base(x).value)
    }

    @Test func scalingIsAlphaOverRankOrOverRootRankWithRSLoRA() {
        #expect(LoRAConfig(rank: 16, alpha: 32).scaling == 2)
        #expect(LoRAConfig(rank: 16, alpha: 32, useRSLoRA: true).scaling == 8)
    }

    @Test func mergedWeightIsWPlusScalingTimesBA() {
        var generator = SeededGenerator(seed: 3)
        let base = DenseLinear(inFeatures: 6, outFeatures: 5, using: &generator)
        let lora = LoRALinear(base: base, config: LoRAConfig(rank: 2, alpha: 3), using: &generator)
        lora.loraB.value = randomTensor([5, 2], seed: 4)
        let expected = base.weight.value + Tensor.matmul(lora.loraB.value, lora.loraA.value) * 1.5
        #expect(lora.merged().weight.value.maxAbsDifference(expected) < 1e-6)
        let x = Variable(randomTensor([4, 6], seed: 5))
        #expect(lora.merged()(x).value.maxAbsDifference(lora(x).value) < 1e-5)
    }

    @Test func wrappingFreezesTheBaseAndOnlyTheAdapterGetsGradients() {
        var generator = SeededGenerator(seed: 6)
        let base = DenseLinear(inFeatures: 4, outFeatures: 3, using: &generator)
        let lora = LoRALinear(base: base, config: LoRAConfig(rank: 2), using: &generator)
        lora.loraB.value = randomTensor([3, 2], seed: 7)
        lora(Variable(randomTensor([5, 4], seed: 8))).sum().backward()
        #expect(!base.weight.requiresGrad && base.weight.grad == nil)
        #expect(lora.loraA.grad != nil && lora.loraB.grad != nil)
    }

    @Test func loRAFactorGradientsMatchFiniteDifferences() {
        var generator = SeededGenerator(seed: 9)
        let base = DenseLinear(inFeatures: 4, outFeatures: 3, using: &generator)
        let lora = LoRALinear(base: base, loraA: randomTensor([2, 4], seed: 11), loraB: randomTensor([3, 2], seed: 12),
                              config: LoRAConfig(rank: 2, alpha: 4))
        let x = Variable(randomTensor([5, 4], seed: 10))
        let weights = Variable(randomTensor([5, 3], seed: 13))
        func objective() -> Float { Variable.withoutGradients { (lora(x) * weights).sum().value.scalar } }
        (lora(x) * weights).sum().backward()
        for factor in [lora.loraA, lora.loraB] {
            let analytic = factor.grad!
            for i in 0..<factor.value.count {
                let original = factor.value[flat: i]
                factor.value[flat: i] = original + 1e-2
                let plus = objective()
                factor.value[flat: i] = original - 1e-2
                let minus = objective()
                factor.value[flat: i] = original
                let numeric = (plus - minus) / 2e-2
                #expect(abs(numeric - analytic[flat: i]) < 2e-3 + 1e-2 * abs(numeric))
            }
        }
    }

    @Test func dropoutTouchesOnlyTheAdapterInputAndOnlyWhileTraining() {
        var generator = SeededGenerator(seed: 13)
        let base = DenseLinear(inFeatures: 8, outFeatures: 4, using: &generator)
        let lora = LoRALinear(base: base, config: LoRAConfig(rank: 2, dropout: 0.5), using: &generator)
        let x = Variable(randomTensor([6, 8], seed: 14))
        lora.isTraining = true
        #expect(lora(x).value == base(x).value)          // B = 0: dropout on the adapter cannot reach the output
        lora.loraB.value = randomTensor([4, 2], seed: 15)
        let eval = { lora.isTraining = false; return lora(x).value }()
        #expect(eval.maxAbsDifference(lora.merged()(x).value) < 1e-5)
        lora.isTraining = true
        #expect(lora(x).value.maxAbsDifference(eval) > 1e-3)
    }

    @Test func anNF4LinearMatchesDenseMatmulOverItsDequantizedWeightForwardAndBackward() {
        let w = randomTensor([48, 128], seed: 16, scale: 0.05)
        let nf4 = NF4Linear(quantizing: w)
        let dense = DenseLinear(weight: nf4.effectiveWeight(), trainable: false)
        #expect(nf4.effectiveWeight().maxAbsDifference(w) < 0.05 * 0.5)
        for batch in [1, 7] {
            let x1 = Variable(randomTensor([batch, 128], seed: 17), requiresGrad: true)
            let x2 = Variable(x1.value, requiresGrad: true)
            let seed = randomTensor([batch, 48], seed: 18)
            let y1 = nf4(x1), y2 = dense(x2)
            #expect(y1.value.maxAbsDifference(y2.value) < 1e-4)
            y1.backward(seed: seed)
            y2.backward(seed: seed)
            #expect(x1.grad!.maxAbsDifference(x2.grad!) < 1e-4)
        }
        #expect(nf4.namedParameters().isEmpty)
    }

    @Test func aLoRAOverNF4MergesIntoTheDequantizedBase() {
        var generator = SeededGenerator(seed: 19)
        let nf4 = NF4Linear(quantizing: randomTensor([16, 64], seed: 20, scale: 0.1))
        let lora = LoRALinear(base: nf4, config: LoRAConfig(rank: 4, alpha: 8), using: &generator)
        lora.loraB.value = randomTensor([16, 4], seed: 21)
        let x = Variable(randomTensor([3, 64], seed: 22))
        #expect(lora.merged()(x).value.maxAbsDifference(lora(x).value) < 1e-4)
    }

    @Test func nf4AndLoRAInputGradientsMatchFiniteDifferences() {
        let nf4 = NF4Linear(quantizing: randomTensor([6, 64], seed: 23, scale: 0.2))
        #expect(GradientCheck().check([randomTensor([3, 64], seed: 24)]) { v in nf4(v[0]) }.isEmpty)
        var generator = SeededGenerator(seed: 25)
        let lora = LoRALinear(base: nf4, config: LoRAConfig(rank: 2, alpha: 4), using: &generator)
        lora.loraB.value = randomTensor([6, 2], seed: 26)
        #expect(GradientCheck().check([randomTensor([2, 64], seed: 27)]) { v in lora(v[0]) }.isEmpty)
    }
}
