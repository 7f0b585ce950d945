import Foundation
import Tensors
import Triage

/// Picks each generated token from next-token logits: greedy (temperature 0, the arg-max exactly as
/// `Qwen3Model.generateGreedy`) or sampled from softmax(logits / temperature), from a seeded generator so a seed
/// reproduces a completion. Ids past `vocabularyLimit` (padding rows of the embedding the tokenizer cannot decode)
/// never win.
///
/// The logits are first adjusted as OpenAI and vLLM define it, in vLLM's order: `logit_bias` added; the repetition
/// penalty on every token of the prompt or the completion (positive logits divided, negative multiplied); a token
/// the completion holds c times loses c × `frequency_penalty` + `presence_penalty`; the end-of-turn tokens are
/// barred until `min_tokens`. Sampling then keeps the tokens at least `min_p` × the most likely's probability, the
/// `top_k` most likely, and the smallest most-likely-first set whose renormalised mass reaches `top_p`.
struct TokenSampler {
    let options: SamplingOptions
    let vocabularyLimit: Int
    /// Tokens `min_tokens` bars until enough were generated.
    let endTokens: Set<Int>
    var generator: SeededGenerator
    /// How many times each id was picked so far.
    private(set) var counts: [Int: Int] = [:]
    /// Ids in the prompt or the completion so far (the repetition penalty's set).
    private var seen: Set<Int>
    private var generated = 0

    /// A sampler for `options` continuing `prompt`.
    init(_ options: SamplingOptions, prompt: [Int] = [], endTokens: Set<Int> = [], vocabularyLimit: Int) {
        self.options = options
        self.vocabularyLimit = vocabularyLimit
        self.endTokens = endTokens
        seen = Set(prompt)
        var system = SystemRandomNumberGenerator()
        generator = SeededGenerator(seed: options.seed ?? system.next())
    }

    /// The next token for `logits` (one row of the model's vocabulary).
    mutating func next(_ logits: [Float]) -> Int {
        let token = pick(adjusted(Array(logits.prefix(vocabularyLimit))))
        counts[token, default: 0] += 1
        seen.insert(token)
        generated += 1
        return token
    }

    /// `row` with the logit bias, the penalties and `min_tokens` applied.
    private func adjusted(_ row: [Float]) -> [Float] {
        var row = row
        for (id, bias) in options.logitBias where id < row.count { row[id] += Float(bias) }
        if options.repetitionPenalty != 1 {
            let penalty = Float(options.repetitionPenalty)
            for id in seen where id < row.count { row[id] = row[id] > 0 ? row[id] / penalty : row[id] * penalty }
        }
        if options.presencePenalty != 0 || options.frequencyPenalty != 0 {
            for (id, count) in counts where id < row.count {
                row[id] -= Float(Double(count) * options.frequencyPenalty + options.presencePenalty)
            }
        }
        if generated < options.minTokens {
            for id in endTokens where id < row.count { row[id] = -.infinity }
        }
        return row
    }

    private mutating func pick(_ row: [Float]) -> Int {
        guard options.temperature > 0 else { return Qwen3Model.argmaxOfLastRow(Tensor(shape: [1, row.count], scalars: row)) }
        let maximum = Double(row.max() ?? 0)
        var weights = row.map { exp((Double($0) - maximum) / options.temperature) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        // Most likely first, ties by id; min_p and top_k cut the list, top_p its renormalised mass.
        var order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        let floor = options.minP * weights[order[0]]
        order = Array(order.prefix { weights[$0] >= floor })
        if options.topK > 0 { order = Array(order.prefix(options.topK)) }
        let candidates = order.reduce(0) { $0 + weights[$1] }
        var kept: [Int] = [], mass = 0.0
        for id in order {
            kept.append(id)
            mass += weights[id]
            if mass >= options.topP * candidates { break }
        }
        var draw = Double(generator.nextUnitFloat()) * mass
        for id in kept {
            draw -= weights[id]
            if draw <= 0 { return id }
        }
        return kept[kept.count - 1]
    }
}
