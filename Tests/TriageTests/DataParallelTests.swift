import Foundation
import Testing
import Tensors
@testable import Triage

/// `DataParallelReplicas`: sharded passes give the whole batch's gradient, deterministically.
@Suite struct DataParallelTests {
    /// Examples with different prompt and completion lengths, so shards weigh differently.
    func examples() -> [CompletionExample] {
        [CompletionExample(promptIds: Qwen3Fixtures.tokens(9, seed: 3), completionIds: [5, 6]),
         CompletionExample(promptIds: Qwen3Fixtures.tokens(4, seed: 4), completionIds: [11, 6, 7, 9]),
         CompletionExample(promptIds: Qwen3Fixtures.tokens(8, seed: 5), completionIds: [5]),
         CompletionExample(promptIds: Qwen3Fixtures.tokens(6, seed: 6), completionIds: [11, 6, 2])]
    }

    func adapted(seed: UInt64) throws -> Qwen3Model {
        let model = Qwen3Fixtures.tinyModel()
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8, dropout: 0), seed: seed)
        return model
    }

    /// The gradient of every trainable parameter after one pass over `examples()` split among `count` models.
    func gradients(models count: Int) throws -> [Tensor] {
        let primary = try adapted(seed: 1)
        // Make B non-zero so every factor gets a gradient; replicas start elsewhere and must be synced.
        for p in primary.namedParameters() where p.name.hasSuffix("lora_B.weight") {
            p.variable.value = Tensor(shape: p.variable.shape, scalars: Qwen3Fixtures.tokens(p.variable.value.count, seed: 9).map { Float($0 % 7) * 0.01 })
        }
        let group = DataParallelReplicas(primary: primary, replicas: try (1..<count).map { try adapted(seed: UInt64($0) + 10) })
        _ = group.backward(examples(), divisor: 1, weight: { Float($0.reduce(0) { $0 + $1.completionIds.count }) },
                           loss: { $0.completionLoss(CompletionBatch($1, padId: 0)) })
        return primary.trainableParameters().map { $0.grad! }
    }

    @Test("sharding a batch over two or three replicas gives the whole batch's gradient, and the same one every time")
    func shardedGradientIsTheBatchGradient() throws {
        let whole = try gradients(models: 1)
        for count in [2, 3] {
            let sharded = try gradients(models: count)
            #expect(sharded.count == whole.count)
            for (a, b) in zip(whole, sharded) {
                let scale = max(1e-3, a.scalars.map(abs).max()!)
                #expect(zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-4 * scale })
            }
            #expect(try gradients(models: count).map(\.scalars) == sharded.map(\.scalars))
        }
    }

    @Test("shards are contiguous, cover the items in order and differ in length by at most one")
    func shardsCoverTheItems() throws {
        let group = DataParallelReplicas(primary: try adapted(seed: 1), replicas: [try adapted(seed: 2), try adapted(seed: 3)])
        #expect(group.shards(Array(0..<8)) == [[0, 1, 2], [3, 4, 5], [6, 7]])
        #expect(group.shards([1]) == [[1], [], []])
        #expect(group.count == 3)
    }

    @Test("SFT with two replicas lowers the loss like one replica does and is deterministic")
    func sftWithReplicas() throws {
        func run(replicas: Int) throws -> SFTTrainer.Result {
            let model = try adapted(seed: 1)
            let schedule = TrainingSchedule(steps: 30, batchSize: 4, learningRate: 1e-2, warmupSteps: 3, seed: 3)
            return try SFTTrainer(schedule: schedule, evalInterval: 10)
                .train(model, replicas: try (1..<replicas).map { try adapted(seed: UInt64($0) + 1) },
                       examples: examples(), validation: examples(), padId: 0)
        }
        let one = try run(replicas: 1), two = try run(replicas: 2)
        #expect(two.validation.last! < two.validation.points[0].value * 0.5)
        #expect(abs(two.validation.last! - one.validation.last!) < 0.05 * one.validation.points[0].value)
        #expect(try run(replicas: 2).train.csv == two.train.csv)
    }

    @Test("the validation loss shared out over replicas equals the primary's own, bit for bit, and syncs them first")
    func validationLossOverReplicas() throws {
        let primary = try adapted(seed: 1)
        for p in primary.namedParameters() where p.name.hasSuffix("lora_B.weight") {
            p.variable.value = Tensor(shape: p.variable.shape, scalars: Qwen3Fixtures.tokens(p.variable.value.count, seed: 9).map { Float($0 % 5) * 0.02 })
        }
        // Seven examples in batches of 2: four batches over three models (shards of 2, 1, 1).
        let validation = examples() + examples().prefix(3)
        let alone = SFTTrainer.meanLoss(primary, validation, padId: 0, batchSize: 2)
        // The replicas start from other adapters: a value equal to `alone` means they were given the primary's.
        let group = DataParallelReplicas(primary: primary, replicas: [try adapted(seed: 7), try adapted(seed: 8)])
        #expect(SFTTrainer.meanLoss(group, validation, padId: 0, batchSize: 2) == alone)
        #expect(alone > 0)
    }

    @Test("DPO on two replicas follows the one-model run step for step and is deterministic")
    func dpoWithReplicas() throws {
        let pairs: [DPOTrainer.Pair] = (0..<6).map { i in
            let prompt = Qwen3Fixtures.tokens(5 + i, seed: UInt64(20 + i))
            return (CompletionExample(promptIds: prompt, completionIds: [3, 4]),
                    CompletionExample(promptIds: prompt, completionIds: [9, 4, 2]))
        }
        func run(replicas: Int) throws -> LossCurve {
            let model = try adapted(seed: 1)
            let reference = DPOTrainer.logProbabilities(model, pairs, padId: 0, batchSize: 3)
            let schedule = TrainingSchedule(steps: 12, batchSize: 3, gradientAccumulation: 2, learningRate: 1e-2, seed: 1)
            return try DPOTrainer(schedule: schedule, beta: 0.1, rpoAlpha: 1)
                .train(model, replicas: try (1..<replicas).map { try adapted(seed: UInt64($0) + 1) }, pairs: pairs,
                       reference: reference, padId: 0)
        }
        let one = try run(replicas: 1), two = try run(replicas: 2)
        for (a, b) in zip(one.points, two.points) {
            #expect(abs(a.value - b.value) < 1e-3, "step \(a.step)")  // dropout is off: only float regrouping differs
        }
        #expect(two.last! < two.points[0].value)
        #expect(try run(replicas: 2).csv == two.csv)
    }

    @Test("LoRA+ steps the B factors at the ratio times the learning rate and leaves A's step as it was")
    func loraPlusScalesOnlyB() throws {
        func firstStep(ratio: Float) throws -> [String: [Float]] {
            let model = try adapted(seed: 1)
            let before = model.adapterStateDict()
            let schedule = TrainingSchedule(steps: 1, batchSize: 4, learningRate: 1e-3, warmupSteps: 0, seed: 3)
            _ = try SFTTrainer(schedule: schedule, evalInterval: 0, loraPlusRatio: ratio)
                .train(model, examples: examples(), validation: [], padId: 0)
            return model.adapterStateDict().mapValues { $0.scalars }.merging(before.mapValues(\.scalars)) { after, start in
                zip(after, start).map { $0 - $1 }
            }
        }
        let plain = try firstStep(ratio: 1), plus = try firstStep(ratio: 16)
        for (name, delta) in plain {
            if name.contains("lora_B") {
                // Adam's first step moves each weight by about ±lr, so the largest move scales with the rate.
                let ratio = plus[name]!.map(abs).max()! / delta.map(abs).max()!
                #expect(abs(ratio - 16) < 0.1, "\(name)")
            } else {
                #expect(plus[name]! == delta, "\(name)")  // A (no gradient while B is zero) is untouched by the ratio
            }
        }
    }
}
