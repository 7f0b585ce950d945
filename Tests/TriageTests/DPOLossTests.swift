import Foundation
import Testing
import Tensors
@testable import Triage

@Suite struct DPOLossTests {
    @Test func lossAndRewardMetricsMatchTRLsSigmoidFormulaComputedByHand() {
        // Pair 1: π_c − ref_c = 2, π_r − ref_r = −1 → z = 0.1·(2 − (−1)) = 0.3
        // Pair 2: π_c − ref_c = −1, π_r − ref_r = 1 → z = 0.1·(−1 − 1) = −0.2
        let loss = DPOLoss(policyChosen: [-3, -6], policyRejected: [-9, -4],
                           referenceChosen: [-5, -5], referenceRejected: [-8, -5], beta: 0.1)
        let expected = (log(1 + exp(-0.3)) + log(1 + exp(0.2))) / 2          // mean −log σ(z) = 0.67625…
        #expect(abs(loss.loss - expected) < 1e-9)
        #expect(abs(loss.loss - 0.676_247) < 1e-5)
        #expect(abs(loss.rewardsChosen - (0.2 + -0.1) / 2) < 1e-9)          // β(π_c − ref_c) = 0.2, −0.1
        #expect(abs(loss.rewardsRejected - (-0.1 + 0.1) / 2) < 1e-9)        // β(π_r − ref_r) = −0.1, 0.1
        #expect(loss.rewardsAccuracies == 0.5)
        #expect(abs(loss.rewardsMargins - (0.3 + -0.2) / 2) < 1e-9)
    }

    @Test func gradientsMatchFiniteDifferencesOfTheLoss() {
        let pc: [Float] = [-3, -6], pr: [Float] = [-9, -4], rc: [Float] = [-5, -5], rr: [Float] = [-8, -5]
        let loss = DPOLoss(policyChosen: pc, policyRejected: pr, referenceChosen: rc, referenceRejected: rr, beta: 0.1)
        let h: Float = 1e-2
        for i in 0..<2 {
            var up = pc, down = pc
            up[i] += h; down[i] -= h
            let numeric = (DPOLoss(policyChosen: up, policyRejected: pr, referenceChosen: rc, referenceRejected: rr, beta: 0.1).loss
                - DPOLoss(policyChosen: down, policyRejected: pr, referenceChosen: rc, referenceRejected: rr, beta: 0.1).loss) / Double(2 * h)
            #expect(abs(numeric - Double(loss.gradientChosen[i])) < 1e-5)
            #expect(loss.gradientRejected[i] == -loss.gradientChosen[i])
        }
    }

    @Test func rpoAddsAlphaTimesTheChosenNLLPerTokenAsTRLsRpoAlphaDoes() {
        let args: (pc: [Float], pr: [Float], rc: [Float], rr: [Float]) = ([-3, -6], [-9, -4], [-5, -5], [-8, -5])
        let plain = DPOLoss(policyChosen: args.pc, policyRejected: args.pr, referenceChosen: args.rc,
                            referenceRejected: args.rr, beta: 0.1)
        let rpo = DPOLoss(policyChosen: args.pc, policyRejected: args.pr, referenceChosen: args.rc,
                          referenceRejected: args.rr, beta: 0.1, rpoAlpha: 0.5, chosenTokens: 6)
        #expect(abs(rpo.nll - 9.0 / 6) < 1e-9)                              // −(−3 − 6) / 6 tokens
        #expect(abs(rpo.loss - (plain.loss + 0.5 * 1.5)) < 1e-9)
        #expect(rpo.rewardsMargins == plain.rewardsMargins && rpo.gradientRejected == plain.gradientRejected)
        let h: Float = 1e-2
        for i in 0..<2 {
            var up = args.pc, down = args.pc
            up[i] += h; down[i] -= h
            func value(_ pc: [Float]) -> Double {
                DPOLoss(policyChosen: pc, policyRejected: args.pr, referenceChosen: args.rc, referenceRejected: args.rr,
                        beta: 0.1, rpoAlpha: 0.5, chosenTokens: 6).loss
            }
            #expect(abs((value(up) - value(down)) / Double(2 * h) - Double(rpo.gradientChosen[i])) < 1e-5)
        }
    }

    @Test func withoutRpoTheLossIsPlainDPO() {
        let plain = DPOLoss(policyChosen: [-3], policyRejected: [-9], referenceChosen: [-5], referenceRejected: [-8], beta: 0.1)
        let zero = DPOLoss(policyChosen: [-3], policyRejected: [-9], referenceChosen: [-5], referenceRejected: [-8], beta: 0.1,
                           rpoAlpha: 0, chosenTokens: 4)
        #expect(zero.loss == plain.loss && zero.gradientChosen == plain.gradientChosen)
        #expect(abs(zero.nll - 0.75) < 1e-9)
    }

    @Test func atTheStartPolicyEqualsReferenceSoTheLossIsLogTwoAndRewardsAreZero() {
        let loss = DPOLoss(policyChosen: [-2, -7], policyRejected: [-4, -1], referenceChosen: [-2, -7],
                           referenceRejected: [-4, -1], beta: 0.1)
        #expect(abs(loss.loss - log(2)) < 1e-12)
        #expect(loss.rewardsChosen == 0 && loss.rewardsMargins == 0 && loss.rewardsAccuracies == 0)
    }

    @Test func extremeMarginsStayFinite() {
        let loss = DPOLoss(policyChosen: [0], policyRejected: [-1e6], referenceChosen: [-1e6], referenceRejected: [0], beta: 0.1)
        #expect(loss.loss.isFinite && loss.loss < 1e-6)
        let bad = DPOLoss(policyChosen: [-1e6], policyRejected: [0], referenceChosen: [0], referenceRejected: [-1e6], beta: 0.1)
        #expect(abs(bad.loss - 2e5) < 1 && abs(Double(bad.gradientChosen[0]) + 0.1) < 1e-6)
    }

    @Test func dpoTrainingRaisesThePreferenceMarginOverTheReference() throws {
        let model = Qwen3Fixtures.tinyModel()
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8), seed: 2)
        let pairs: [DPOTrainer.Pair] = (0..<4).map { i in
            let prompt = Qwen3Fixtures.tokens(6 + i, seed: UInt64(20 + i))
            return (CompletionExample(promptIds: prompt, completionIds: [3, 4]), CompletionExample(promptIds: prompt, completionIds: [9, 4]))
        }
        let reference = DPOTrainer.logProbabilities(model, pairs, padId: 0, batchSize: 2)
        let schedule = TrainingSchedule(steps: 30, batchSize: 2, gradientAccumulation: 2, learningRate: 1e-2, seed: 1)
        let curve = try DPOTrainer(schedule: schedule, beta: 0.1).train(model, pairs: pairs, reference: reference, padId: 0)
        #expect(abs(curve.points[0].value - log(2)) < 1e-4)                 // policy == reference at step 1
        #expect(curve.last! < 0.6)
        #expect(curve.points.last!.extras[2] == 1)                          // rewards/accuracies
        #expect(curve.csv.hasPrefix("step,loss,rewards_chosen,rewards_rejected,rewards_accuracies,rewards_margins,learning_rate,nll_loss\n"))
    }
}
