import Foundation
import Tensors
import Triage
import TriageData

/// The loaded model and everything scoring and generation need from it: the encoder (tokenizer and length limit,
/// as evaluate uses them), the classifier at its operating point, the per-language prompt-prefix caches, and the KV
/// caches of the chat sequences being decoded.
///
/// Concurrency: the model and caches are not thread-safe, so every use of them runs on one serial queue (`run`);
/// handlers never touch them. The queue is a dedicated thread, not the Swift concurrency pool, so a forward pass
/// never starves the tasks that parse requests and write responses. The `@unchecked Sendable` rests on that rule.
public final class ModelSession: @unchecked Sendable {
    /// The name the model is served under.
    public let name: String
    /// The model's configuration.
    public let config: Qwen3Config
    /// The tokenizer and prompt length limit (evaluate's `TriageTextEncoder`).
    public let encoder: TriageTextEncoder
    /// The decision rule (evaluate's calibrated operating point unless overridden).
    public let operatingPoint: TriageOperatingPoint
    /// Tokens that end a chat completion: the config's EOS ids, `<|im_end|>` and `<|endoftext|>`.
    public let stopTokenIds: Set<Int>
    private let classifier: TriageClassifier
    private let prefixes: [Qwen3PrefixCache]
    private var sequences: [UInt64: Qwen3KVCache] = [:]
    private let queue = DispatchQueue(label: "triage-serve.model", qos: .userInitiated)

    /// A session over an already loaded `model` (tests build tiny ones in memory).
    public init(model: Qwen3Model, encoder: TriageTextEncoder, operatingPoint: TriageOperatingPoint, name: String) {
        self.name = name
        config = model.config
        self.encoder = encoder
        self.operatingPoint = operatingPoint
        classifier = TriageClassifier(model: model, encoder: encoder, operatingPoint: operatingPoint)
        prefixes = classifier.promptPrefixes()
        stopTokenIds = Set(model.config.eosTokenIds + [TriagePrompt.turnEnd, TriagePrompt.padding]
            .compactMap { encoder.tokenizer.id(of: $0) })
    }

    /// Runs `body` on the model's queue and returns its result.
    private func run<T: Sendable>(_ body: @escaping @Sendable (ModelSession) -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body(self)) }
        }
    }

    /// log p(label word | prompt) for each prompt (`TriageLabel.allCases` order), all in one batched pass;
    /// equal to evaluate's `TriageClassifier.scores(promptIds:)` up to float rounding.
    public func scores(_ prompts: [[Int]]) async -> [[Double]] {
        await run { $0.classifier.scores(batch: prompts, prefixes: $0.prefixes) }
    }

    /// One decoding step for several chat sequences at once: each feeds its new tokens (its whole prompt when it
    /// joins, then one token) after what its cache holds; returns each sequence's next-token logits.
    public func decodeStep(_ inputs: [(id: UInt64, tokens: [Int])]) async -> [[Float]] {
        await run { session in
            let batch = inputs.map { input -> Qwen3PackedSequence in
                let cache = session.sequences[input.id] ?? Qwen3KVCache(layerCount: session.config.numHiddenLayers)
                session.sequences[input.id] = cache
                return Qwen3PackedSequence(tokens: input.tokens, cache: cache)
            }
            return session.classifier.model.packedForward(batch).map(\.scalars)
        }
    }

    /// Forgets the caches of sequences that finished or were abandoned.
    public func release(_ ids: [UInt64]) async {
        await run { session in for id in ids { session.sequences[id] = nil } }
    }

    /// The number of chat sequences holding a cache (tests check that finished ones are released).
    public func liveSequenceCount() async -> Int {
        await run { $0.sequences.count }
    }
}
