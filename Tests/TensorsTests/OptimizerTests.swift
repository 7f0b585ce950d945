import Foundation
import Testing
@testable import Tensors

@Suite struct OptimizerTests {
    @Test func adamWFollowsTorchsUpdateRuleOverTwoSteps() {
        // torch.optim.AdamW(lr=0.1, weight_decay=0.01), grads 0.5 then -0.2, on p = 1:
        // step 1: p = 1·(1−0.001) − 0.1/0.1 · 0.05/(√0.00025/√0.001 + 1e-8) = 0.899
        let p = Variable(Tensor(shape: [1], scalars: [1]), requiresGrad: true)
        let optimizer = AdamW(parameters: [p], weightDecay: 0.01)
        p.grad = Tensor(shape: [1], scalars: [0.5])
        optimizer.step(learningRate: 0.1)
        #expect(abs(p.value.scalar - 0.899) < 1e-6)
        p.grad = Tensor(shape: [1], scalars: [-0.2])
        optimizer.step(learningRate: 0.1)
        // step 2: m = 0.045−0.02 = 0.025, v = 0.00024975+0.00004 = 0.00028975
        let decayed = 0.899 * (1 - 0.1 * 0.01)
        let m = 0.025, v = 0.00028975
        let expected = decayed - (0.1 / (1 - 0.81)) * m / ((v.squareRoot() / (1 - 0.998001).squareRoot()) + 1e-8)
        #expect(abs(Double(p.value.scalar) - expected) < 1e-6)
        #expect(optimizer.stepCount == 2)
    }

    @Test func adamWSkipsParametersWithoutGradientsAndGroupsHaveTheirOwnDecay() {
        let a = Variable(Tensor(shape: [1], scalars: [2]), requiresGrad: true)
        let b = Variable(Tensor(shape: [1], scalars: [2]), requiresGrad: true)
        let c = Variable(Tensor(shape: [1], scalars: [2]), requiresGrad: true)
        let optimizer = AdamW(groups: [.init(parameters: [a, c], weightDecay: 0.5), .init(parameters: [b], weightDecay: 0)])
        a.grad = Tensor(shape: [1], scalars: [0])
        b.grad = Tensor(shape: [1], scalars: [0])
        optimizer.step(learningRate: 0.1)
        #expect(abs(a.value.scalar - 2 * 0.95) < 1e-6)   // decay only (zero gradient)
        #expect(b.value.scalar == 2)
        #expect(c.value.scalar == 2)                      // no gradient: untouched, like PyTorch
        optimizer.zeroGrad()
        #expect(a.grad == nil && b.grad == nil)
    }

    @Test func clippingScalesAllGradientsByTheGlobalNorm() {
        let a = Variable(Tensor(shape: [1], scalars: [0]), requiresGrad: true)
        let b = Variable(Tensor(shape: [1], scalars: [0]), requiresGrad: true)
        a.grad = Tensor(shape: [1], scalars: [3])
        b.grad = Tensor(shape: [1], scalars: [4])
        #expect(clipGradientNorm([a, b], maxNorm: 1) == 5)
        #expect(abs(a.grad!.scalar - 0.6) < 1e-6 && abs(b.grad!.scalar - 0.8) < 1e-6)
        #expect(abs(clipGradientNorm([a, b], maxNorm: 10) - 1) < 1e-5)
        #expect(abs(a.grad!.scalar - 0.6) < 1e-6)
    }

    @Test func cosineWithWarmupMatchesTransformers() {
        let schedule = LearningRateSchedule.cosineWithWarmup(warmupSteps: 10, totalSteps: 110)
        #expect(schedule.multiplier(atStep: 0) == 0)
        #expect(schedule.multiplier(atStep: 5) == 0.5)
        #expect(schedule.multiplier(atStep: 10) == 1)
        #expect(abs(schedule.multiplier(atStep: 60) - 0.5) < 1e-12)
        #expect(abs(schedule.multiplier(atStep: 35) - 0.5 * (1 + cos(Double.pi * 0.25))) < 1e-12)
        #expect(schedule.multiplier(atStep: 110) < 1e-12)
        #expect(schedule.learningRate(base: 2e-4, atStep: 10) == 2e-4)
    }

    @Test func constantAndLinearSchedulesMatchTransformers() {
        #expect(LearningRateSchedule.constant.multiplier(atStep: 1000) == 1)
        #expect(LearningRateSchedule.constantWithWarmup(warmupSteps: 4).multiplier(atStep: 1) == 0.25)
        #expect(LearningRateSchedule.constantWithWarmup(warmupSteps: 4).multiplier(atStep: 9) == 1)
        let linear = LearningRateSchedule.linearWithWarmup(warmupSteps: 2, totalSteps: 12)
        #expect(linear.multiplier(atStep: 7) == 0.5 && linear.multiplier(atStep: 12) == 0)
    }

    @Test func accumulatingScaledMicroBatchGradientsEqualsOneFullBatchGradient() {
        let w = randomTensor([3, 4], seed: 1)
        let xs = (0..<4).map { randomTensor([2, 4], seed: 10 + UInt64($0)) }
        // One batch of 8 rows.
        let full = Variable(w, requiresGrad: true)
        Variable.linear(Variable(Tensor(shape: [8, 4], scalars: xs.flatMap(\.scalars))), weight: full).silu()
            .mean().backward()
        // Four micro-batches of 2 rows, each loss scaled by 1/4.
        let accumulated = Variable(w, requiresGrad: true)
        var accumulation = GradientAccumulation(microSteps: 4)
        var steps = 0
        for x in xs {
            (Variable.linear(Variable(x), weight: accumulated).silu().mean() * accumulation.lossScale).backward()
            if accumulation.recordMicroStep() { steps += 1 }
        }
        #expect(steps == 1 && accumulation.pending == 0)
        #expect(accumulated.grad!.maxAbsDifference(full.grad!) < 1e-6)
    }
}
