import Tensors

/// One prompt/completion pair as token ids: the unit of SFT, DPO and constrained-choice scoring.
///
/// Only the completion is learned (TRL's completion-only loss): `labels` carries `ignoreIndex` over the prompt.
public struct CompletionExample: Sendable, Equatable {
    /// The prompt's ids (system and user turns, the open assistant turn).
    public var promptIds: [Int]
    /// The completion's ids (the label word and `<|im_end|>`).
    public var completionIds: [Int]

    /// A pair; the completion must not be empty.
    public init(promptIds: [Int], completionIds: [Int]) {
        precondition(!completionIds.isEmpty, "a completion needs at least one token")
        self.promptIds = promptIds
        self.completionIds = completionIds
    }

    /// Prompt then completion.
    public var inputIds: [Int] { promptIds + completionIds }

    /// `ignoreIndex` over the prompt, the completion ids after it: the loss sees completion tokens only.
    public var labels: [Int] { Array(repeating: ignoreIndex, count: promptIds.count) + completionIds }

    /// The same pair with the prompt cut from the left so the whole fits in `maxLength` tokens (the open
    /// assistant turn and the completion are kept, as TRL's `truncation_mode="keep_end"`).
    public func truncated(toLength maxLength: Int) -> CompletionExample {
        let room = max(1, maxLength - completionIds.count)
        guard promptIds.count > room else { return self }
        return CompletionExample(promptIds: Array(promptIds.suffix(room)), completionIds: completionIds)
    }
}

/// Examples padded on the right to one length, as a batch for the model.
///
/// Right padding is safe with causal attention: pad positions come after every real token, so they never change
/// a real position's output, and their labels are `ignoreIndex`.
public struct CompletionBatch: Sendable, Equatable {
    /// [B][T] token ids, padded with `padId`.
    public var inputIds: [[Int]]
    /// [B][T] labels, `ignoreIndex` over prompts and padding.
    public var labels: [[Int]]

    /// Pads `examples` (at least one) to the longest with `padId`.
    public init(_ examples: [CompletionExample], padId: Int) {
        precondition(!examples.isEmpty, "a batch needs at least one example")
        let length = examples.map { $0.promptIds.count + $0.completionIds.count }.max()!
        inputIds = examples.map { $0.inputIds + Array(repeating: padId, count: length - $0.inputIds.count) }
        labels = examples.map { $0.labels + Array(repeating: ignoreIndex, count: length - $0.inputIds.count) }
    }

    /// The number of sequences.
    public var count: Int { inputIds.count }
}
