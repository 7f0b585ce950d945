import Foundation
import Testing
import TriageData
import Tensors
@testable import Triage

@Suite struct SFTTrainerTests {
    /// Two prompts whose completions differ: learnable only through the adapters.
    func examples() -> [CompletionExample] {
        [CompletionExample(promptIds: Qwen3Fixtures.tokens(9, seed: 3), completionIds: [5, 6]),
         CompletionExample(promptIds: Qwen3Fixtures.tokens(7, seed: 4), completionIds: [11, 6]),
         CompletionExample(promptIds: Qwen3Fixtures.tokens(8, seed: 5), completionIds: [5, 6]),
         CompletionExample(promptIds: Qwen3Fixtures.tokens(6, seed: 6), completionIds: [11, 6])]
    }

    @Test func labelsIgnoreThePromptAndThePaddingSoOnlyCompletionTokensAreLearned() {
        let a = CompletionExample(promptIds: [1, 2, 3], completionIds: [7, 8])
        let b = CompletionExample(promptIds: [4], completionIds: [9])
        let batch = CompletionBatch([a, b], padId: 0)
        #expect(batch.inputIds == [[1, 2, 3, 7, 8], [4, 9, 0, 0, 0]])
        #expect(batch.labels == [[ignoreIndex, ignoreIndex, ignoreIndex, 7, 8], [ignoreIndex, 9, ignoreIndex, ignoreIndex, ignoreIndex]])
    }

    @Test func truncationKeepsTheEndOfThePromptAndTheWholeCompletion() {
        let e = CompletionExample(promptIds: [1, 2, 3, 4, 5, 6], completionIds: [7, 8]).truncated(toLength: 5)
        #expect(e.promptIds == [4, 5, 6] && e.completionIds == [7, 8])
    }

    @Test func completionLossEqualsTheFullLossWithPromptLabelsMasked() {
        let model = Qwen3Fixtures.tinyModel()
        let batch = CompletionBatch(examples(), padId: 0)
        let completionOnly = model.completionLoss(batch).value.scalar
        let reference = model.causalLanguageModelLoss(inputIds: batch.inputIds, labels: batch.labels).value.scalar
        #expect(abs(completionOnly - reference) < 1e-5)
        let sums = model.completionLogProbabilities(batch).value.scalars
        let tokens = Variable.tokenLogProbabilities(logits: model.logits(batch.inputIds),
                                                    targets: Qwen3Model.shiftedTargets(batch.labels, like: batch.inputIds)).value.scalars
        let length = batch.inputIds[0].count
        for b in 0..<batch.count {
            #expect(abs(sums[b] - tokens[(b * length)..<((b + 1) * length)].reduce(0, +)) < 1e-4)
        }
    }

    @Test func qloraTrainingDrivesTheCompletionLossDownAndIsDeterministic() throws {
        func run() throws -> (SFTTrainer.Result, [String: Tensor]) {
            let model = Qwen3Fixtures.tinyModel()
            let quantized = try Qwen3Model(config: model.config, weights: model.stateDict(), projections: .nf4(blocksize: 64, doubleQuant: true))
            try quantized.applyLoRA(LoRAConfig(rank: 4, alpha: 8, dropout: 0.05), seed: 1)
            let schedule = TrainingSchedule(steps: 40, batchSize: 2, gradientAccumulation: 2, learningRate: 1e-2, warmupSteps: 4, seed: 3)
            let result = try SFTTrainer(schedule: schedule, evalInterval: 10)
                .train(quantized, examples: examples(), validation: examples(), padId: 0)
            return (result, quantized.adapterStateDict())
        }
        let (first, adapter) = try run()
        #expect(first.train.points.count == 40 && first.validation.points.map(\.step) == [10, 20, 30, 40])
        #expect(first.validation.last! < first.validation.points[0].value * 0.5)
        let (second, adapterAgain) = try run()
        #expect(first.train.csv == second.train.csv && adapter == adapterAgain)
    }
}
