/// A prompt prefix run once into a KV cache, so prompts that start with the same tokens (a fixed system turn)
/// resume from a copy of it instead of recomputing those positions.
///
/// Matching is by token ids, never by text: a prompt uses the cache only when its ids really begin with
/// `tokens`, so a tokenizer merge across the boundary can cost speed but never change a score beyond rounding.
public final class Qwen3PrefixCache {
    /// The prefix ids the cache holds.
    public let tokens: [Int]
    let cache: Qwen3KVCache

    /// Runs `tokens` through `model` once (no graph).
    public init(model: Qwen3Model, tokens: [Int]) {
        precondition(!tokens.isEmpty, "a prefix needs at least one token")
        self.tokens = tokens
        cache = Qwen3KVCache(layerCount: model.layers.count)
        _ = model.packedForward([Qwen3PackedSequence(tokens: tokens, cache: cache)])
    }

    /// Whether `prompt` starts with the prefix and goes on past it (at least one token must remain to feed).
    public func covers(_ prompt: [Int]) -> Bool {
        prompt.count > tokens.count && prompt.starts(with: tokens)
    }

    /// The longest of `prefixes` that covers `prompt`, if any.
    public static func longest(in prefixes: [Qwen3PrefixCache], covering prompt: [Int]) -> Qwen3PrefixCache? {
        prefixes.filter { $0.covers(prompt) }.max { $0.tokens.count < $1.tokens.count }
    }

    /// An independent cache holding the prefix positions, ready for one prompt to continue.
    func branch() -> Qwen3KVCache { cache.copy() }
}
