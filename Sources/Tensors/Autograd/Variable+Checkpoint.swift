/// Activation checkpointing (PyTorch's `torch.utils.checkpoint`, what `gradient_checkpointing=True` does per
/// decoder layer in transformers).
extension Variable {
    /// `body(x)` computed without a graph; the backward pass runs `body` again with one and back-propagates
    /// through that. Only `x` and the output are kept between the passes instead of every intermediate of `body`,
    /// at the price of a second forward of `body`. Why: at Qwen3-0.6B's shape one decoder layer's graph holds
    /// ~47 MB per 128 tokens, so 28 layers held 1.3 GB, more than the NF4 weights and the embedding together.
    ///
    /// `parameters` are the variables `body` reads besides `x` (those that require a gradient make the output
    /// require one, and receive their gradients from the second pass). `body` must compute the same function both
    /// times: a caller with randomness (dropout) restores its generators before the second call.
    /// Without recording (`withoutGradients`) this is just `body(x)`.
    public static func checkpointed(_ x: Variable, parameters: [Variable],
                                    _ body: @escaping (Variable) -> Variable) -> Variable {
        let trainable = parameters.filter(\.requiresGrad)
        guard isRecording, x.requiresGrad || !trainable.isEmpty else { return body(x) }
        let output = withoutGradients { body(x) }.value
        return result(output, parents: [x] + trainable) { g in
            let input = Variable(x.value, requiresGrad: x.requiresGrad)
            let recomputed = $isRecording.withValue(true) { body(input) }
            precondition(recomputed.shape == output.shape, "checkpointed: the second pass changed the output shape")
            recomputed.backward(seed: g)
            if x.requiresGrad, let gx = input.grad { x.accumulate(gx) }
        }
    }
}
