import Testing
import TriageData
import Tensors
@testable import Triage

@Suite struct Qwen3ModelTests {
    @Test func cachedGreedyGenerationEqualsUncachedArgmaxGeneration() {
        let model = Qwen3Fixtures.tinyModel()
        let prompt = Qwen3Fixtures.tokens(5, seed: 3)
        let cached = model.generateGreedy(prompt: prompt, maxNewTokens: 12, useCache: true)
        let uncached = model.generateGreedy(prompt: prompt, maxNewTokens: 12, useCache: false)
        #expect(cached.count == 12)
        #expect(cached == uncached)
        #expect(Set(cached).count > 1, "a degenerate model would not test the cache")
    }

    @Test func generationStopsAtAStopTokenAndIncludesIt() {
        let model = Qwen3Fixtures.tinyModel()
        let prompt = Qwen3Fixtures.tokens(4, seed: 5)
        let free = model.generateGreedy(prompt: prompt, maxNewTokens: 6)
        let stopped = model.generateGreedy(prompt: prompt, maxNewTokens: 6, stopTokens: [free[2]])
        #expect(stopped == Array(free.prefix(through: free.firstIndex(of: free[2])!)))
    }

    @Test func aBatchGivesTheSameLogitsAsEachSequenceAlone() {
        let model = Qwen3Fixtures.tinyModel()
        let a = Qwen3Fixtures.tokens(6, seed: 7), b = Qwen3Fixtures.tokens(6, seed: 8)
        let batch = model.logits([a, b]).value
        let alone = model.logits([a]).value.scalars + model.logits([b]).value.scalars
        #expect(batch.maxAbsDifference(Tensor(shape: batch.shape, scalars: alone)) < 1e-5)
    }

    @Test func logitsAtAPositionDoNotDependOnLaterTokens() {
        let model = Qwen3Fixtures.tinyModel()
        let a = Qwen3Fixtures.tokens(6, seed: 9)
        var b = a
        b[5] = (a[5] + 1) % 37
        let la = model.logits([a]).value, lb = model.logits([b]).value
        let prefix = 5 * 37
        #expect(Array(la.scalars[..<prefix]) == Array(lb.scalars[..<prefix]))
        #expect(la.scalars[prefix...] != lb.scalars[prefix...])
    }

    @Test(arguments: [false, true])
    func theModelLossGradientMatchesFiniteDifferencesOnSampledWeights(tied: Bool) {
        let model = Qwen3Fixtures.tinyModel(tied: tied)
        let ids = [Qwen3Fixtures.tokens(5, seed: 11)]
        let labels = [[ignoreIndex] + Array(ids[0].dropFirst())]
        model.causalLanguageModelLoss(inputIds: ids, labels: labels).backward()
        let eps: Float = 1e-2
        for (name, variable) in model.namedParameters() {
            guard let grad = variable.grad else { Issue.record("\(name) has no gradient"); continue }
            for element in stride(from: 0, to: variable.value.count, by: max(1, variable.value.count / 3)) {
                let original = variable.value[flat: element]
                variable.value[flat: element] = original + eps
                let plus = Variable.withoutGradients { model.causalLanguageModelLoss(inputIds: ids, labels: labels) }
                variable.value[flat: element] = original - eps
                let minus = Variable.withoutGradients { model.causalLanguageModelLoss(inputIds: ids, labels: labels) }
                variable.value[flat: element] = original
                let numeric = (plus.value.scalar - minus.value.scalar) / (2 * eps)
                #expect(abs(numeric - grad[flat: element]) < 2e-3 + 3e-2 * abs(numeric), "\(name)[\(element)]")
            }
        }
    }

    @Test func aTinyModelsLossFallsWhenTrained() {
        let model = Qwen3Fixtures.tinyModel(seed: 2)
        // A repeating pattern is learnable in a few dozen steps.
        let sequence = (0..<24).map { [3, 14, 15, 9, 26, 5][$0 % 6] }
        let optimizer = AdamW(parameters: model.trainableParameters(), weightDecay: 0.01)
        var losses: [Float] = []
        for step in 0..<40 {
            let loss = model.causalLanguageModelLoss(inputIds: [sequence], labels: [sequence])
            losses.append(loss.value.scalar)
            loss.backward()
            clipGradientNorm(model.trainableParameters(), maxNorm: 1)
            optimizer.step(learningRate: LearningRateSchedule.cosineWithWarmup(warmupSteps: 4, totalSteps: 40)
                .learningRate(base: 1e-2, atStep: step))
            optimizer.zeroGrad()
        }
        #expect(losses.last! < losses.first! * 0.3, "losses: \(losses)")
    }

    @Test func trainingIsDeterministicForASeed() throws {
        func run() throws -> [Float] {
            let model = Qwen3Fixtures.tinyModel(seed: 4)
            try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8, dropout: 0.1), seed: 9)
            model.setTraining(true)
            let optimizer = AdamW(parameters: model.trainableParameters())
            let ids = [Qwen3Fixtures.tokens(10, seed: 12)]
            for _ in 0..<3 {
                model.causalLanguageModelLoss(inputIds: ids, labels: ids).backward()
                optimizer.step(learningRate: 1e-2)
                optimizer.zeroGrad()
            }
            return model.logits(ids).value.scalars
        }
        #expect(try run() == run())
    }

    @Test func loadingReportsAMissingWeightAndAWrongShapeByName() {
        let model = Qwen3Fixtures.tinyModel()
        var weights = model.stateDict()
        weights["model.layers.1.self_attn.k_norm.weight"] = nil
        #expect(throws: Qwen3ModelError.missingWeight(name: "model.layers.1.self_attn.k_norm.weight", source: "t")) {
            try Qwen3Model(config: model.config, weights: weights, source: "t")
        }
        weights = model.stateDict()
        weights["model.layers.0.mlp.up_proj.weight"] = Tensor.zeros([16, 24])
        #expect(throws: Qwen3ModelError.weightShapeMismatch(name: "model.layers.0.mlp.up_proj.weight",
                                                            expected: [24, 16], found: [16, 24], source: "t")) {
            try Qwen3Model(config: model.config, weights: weights, source: "t")
        }
    }

    @Test func aStateDictReloadsToTheSameLogitsTiedAndUntied() throws {
        for tied in [true, false] {
            let model = Qwen3Fixtures.tinyModel(tied: tied)
            let reloaded = try Qwen3Model(config: model.config, weights: model.stateDict())
            #expect(reloaded.hasTiedEmbeddings == tied)
            #expect((model.stateDict()["lm_head.weight"] == nil) == tied)
            let ids = [Qwen3Fixtures.tokens(7, seed: 13)]
            #expect(model.logits(ids).value == reloaded.logits(ids).value)
        }
    }

    @Test func sequenceLogProbabilitiesSumTheCompletionTokens() {
        let model = Qwen3Fixtures.tinyModel()
        let ids = Qwen3Fixtures.tokens(6, seed: 14)
        let labels = [ignoreIndex, ignoreIndex, ignoreIndex] + Array(ids[3...])
        let total = model.sequenceLogProbabilities(inputIds: [ids], labels: [labels]).value
        let logp = model.logits([ids]).logSoftmax().value
        var expected: Float = 0
        for t in 2..<5 { expected += logp[flat: t * 37 + ids[t + 1]] }
        #expect(total.shape == [1] && abs(total[flat: 0] - expected) < 1e-4)
    }

    @Test func aTiedCheckpointMayCarryLMHeadWhileAnUntiedOneMust() throws {
        let tied = Qwen3Fixtures.tinyModel(tied: true)
        var weights = tied.stateDict()
        weights["lm_head.weight"] = weights["model.embed_tokens.weight"]
        let reloaded = try Qwen3Model(config: tied.config, weights: weights)
        #expect(reloaded.hasTiedEmbeddings)
        var untiedConfig = tied.config
        untiedConfig.tieWordEmbeddings = false
        #expect(throws: Qwen3ModelError.missingWeight(name: "lm_head.weight", source: "t")) {
            try Qwen3Model(config: untiedConfig, weights: tied.stateDict(), source: "t")
        }
    }
}
