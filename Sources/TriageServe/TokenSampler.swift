import Foundation
import Tensors
import Triage

/// Picks each generated token from next-token logits: greedy (temperature 0, the arg-max exactly as
/// `Qwen3Model.generateGreedy`) or sampled from softmax(logits / temperature) restricted to the smallest set of
/// tokens whose probability reaches `topP` (nucleus sampling), from a seeded generator so a seed reproduces a
/// completion. Ids past `vocabularyLimit` (padding rows of the embedding the tokenizer cannot decode) never win.
///
/// Before either, OpenAI's logit adjustments apply in its documented form: `logit_bias` is added, and a token
/// already generated c times loses c × `frequency_penalty` + `presence_penalty` (the sampler counts its own picks).
struct TokenSampler {
    let temperature: Double
    let topP: Double
    let vocabularyLimit: Int
    let presencePenalty: Double
    let frequencyPenalty: Double
    let logitBias: [Int: Double]
    var generator: SeededGenerator
    /// How many times each id was picked so far.
    private(set) var counts: [Int: Int] = [:]

    init(temperature: Double, topP: Double, seed: UInt64?, vocabularyLimit: Int, presencePenalty: Double = 0,
         frequencyPenalty: Double = 0, logitBias: [Int: Double] = [:]) {
        self.temperature = temperature
        self.topP = topP
        self.vocabularyLimit = vocabularyLimit
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.logitBias = logitBias
        var system = SystemRandomNumberGenerator()
        generator = SeededGenerator(seed: seed ?? system.next())
    }

    /// A sampler for a completion's `parameters`.
    init(_ parameters: GenerationParameters, vocabularyLimit: Int) {
        self.init(temperature: parameters.temperature, topP: parameters.topP, seed: parameters.seed,
                  vocabularyLimit: vocabularyLimit, presencePenalty: parameters.presencePenalty,
                  frequencyPenalty: parameters.frequencyPenalty, logitBias: parameters.logitBias)
    }

    /// The next token for `logits` (one row of the model's vocabulary).
    mutating func next(_ logits: [Float]) -> Int {
        let token = pick(adjusted(Array(logits.prefix(vocabularyLimit))))
        counts[token, default: 0] += 1
        return token
    }

    /// `row` with the logit bias and the penalties applied.
    private func adjusted(_ row: [Float]) -> [Float] {
        var row = row
        for (id, bias) in logitBias where id < row.count { row[id] += Float(bias) }
        if presencePenalty != 0 || frequencyPenalty != 0 {
            for (id, count) in counts where id < row.count {
                row[id] -= Float(Double(count) * frequencyPenalty + presencePenalty)
            }
        }
        return row
    }

    private mutating func pick(_ row: [Float]) -> Int {
        guard temperature > 0 else { return Qwen3Model.argmaxOfLastRow(Tensor(shape: [1, row.count], scalars: row)) }
        let maximum = Double(row.max() ?? 0)
        var weights = row.map { exp((Double($0) - maximum) / temperature) }
        let total = weights.reduce(0, +)
        for i in weights.indices { weights[i] /= total }
        // The nucleus: most likely first, ties by id, until the mass reaches top_p.
        let order = weights.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
        var kept: [Int] = [], mass = 0.0
        for id in order {
            kept.append(id)
            mass += weights[id]
            if mass >= topP { break }
        }
        var draw = Double(generator.nextUnitFloat()) * mass
        for id in kept {
            draw -= weights[id]
            if draw <= 0 { return id }
        }
        return kept[kept.count - 1]
    }
}
