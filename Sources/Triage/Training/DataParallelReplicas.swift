import Dispatch
import Tensors

/// Copies of one model that run the forward and backward passes of a batch's shards at the same time, one shard
/// per copy, and sum their gradients into the primary model's; the optimizer then steps the primary alone.
///
/// Why: the models trained here are too small for BLAS to spread one matrix product over cores (`TrainingRuntime`
/// runs OpenBLAS single-threaded), so a step kept one core busy and left the rest idle. Splitting each batch
/// across replicas uses them all. Results are deterministic for a given replica count: shard `r` always runs on
/// replica `r`, and gradients are summed in replica order. They are not bit-identical across replica counts
/// (floating-point sums regroup), which is why the count is a training parameter rather than the core count.
public final class DataParallelReplicas {
    /// The primary model (index 0, the one the optimizer steps) and its replicas.
    public let models: [Qwen3Model]
    /// Each model's trainable parameters, aligned by index with the primary's.
    private let parameters: [[Variable]]

    /// Replicas of `primary`, which must have the same trainable parameters (names and shapes) in the same order;
    /// their values are overwritten with the primary's before every pass.
    public init(primary: Qwen3Model, replicas: [Qwen3Model]) {
        let trainable = { (model: Qwen3Model) in model.namedParameters().filter(\.variable.requiresGrad) }
        let reference = trainable(primary)
        for replica in replicas {
            let theirs = trainable(replica)
            precondition(theirs.map(\.name) == reference.map(\.name)
                         && theirs.map(\.variable.shape) == reference.map(\.variable.shape),
                         "a replica's trainable parameters differ from the primary's")
        }
        models = [primary] + replicas
        parameters = models.map { trainable($0).map(\.variable) }
    }

    /// The number of models, the primary included.
    public var count: Int { models.count }

    /// Switches dropout on or off in every model.
    public func setTraining(_ training: Bool) {
        for model in models { model.setTraining(training) }
    }

    /// Runs `pass(r, models[r])` for every model concurrently, after giving each replica the primary's current
    /// trainable values (unless `syncing` is false: a second pass before the optimizer has stepped); each pass may
    /// call `backward()` on its own model. Afterwards every replica's gradient is added into the primary's
    /// (replica order) and cleared. Returns the passes' results in model order.
    public func run<Result>(syncing: Bool = true, _ pass: (Int, Qwen3Model) -> Result) -> [Result] {
        if syncing {
            for r in models.indices.dropFirst() {
                for (mine, primary) in zip(parameters[r], parameters[0]) { mine.value = primary.value }
            }
        }
        var results = [Result?](repeating: nil, count: models.count)
        results.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            nonisolated(unsafe) let pass = pass
            nonisolated(unsafe) let models = models
            DispatchQueue.concurrentPerform(iterations: models.count) { r in slots[r] = pass(r, models[r]) }
        }
        for r in models.indices.dropFirst() {
            for (mine, primary) in zip(parameters[r], parameters[0]) {
                guard let grad = mine.grad else { continue }
                if primary.grad == nil { primary.grad = grad } else { primary.grad!.addScaled(grad) }
                mine.zeroGrad()
            }
        }
        return results.map { $0! }
    }

    /// The loss of `items` as one batch, computed shard by shard at once: shard `r` runs `loss(models[r], shard)`
    /// and back-propagates it weighted by its share of the batch, `weight(shard) / weight(items)` (tokens,
    /// blocks), divided by `divisor` (gradient accumulation). Returns the weighted sum of the shard losses.
    public func backward<Item>(_ items: [Item], divisor: Float, weight: ([Item]) -> Float,
                               loss: (Qwen3Model, [Item]) -> Variable) -> Float {
        let shards = shards(items)
        let total = weight(items)
        return run { r, model -> Float in
            let share = weight(shards[r])
            guard share > 0 else { return 0 }
            let fraction = share / total
            let value = loss(model, shards[r])
            (value * (fraction / divisor)).backward()
            return value.value.scalar * fraction
        }.reduce(0, +)
    }

    /// `items` cut into `count` contiguous shards as even as possible (the first ones one longer); shards may be
    /// empty when there are fewer items than models.
    public func shards<T>(_ items: [T]) -> [[T]] {
        let base = items.count / count, extra = items.count % count
        var start = 0
        return (0..<count).map { r in
            let length = base + (r < extra ? 1 : 0)
            defer { start += length }
            return Array(items[start..<(start + length)])
        }
    }
}
