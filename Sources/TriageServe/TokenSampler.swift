import Foundation
import Tensors
import Triage

/// Picks each generated token from next-token logits: greedy (temperature 0, the arg-max exactly as
/// `Qwen3Model.generateGreedy`) or sampled from softmax(logits / temperature) restricted to the smallest set of
/// tokens whose probability reaches `topP` (nucleus sampling), from a seeded generator so a seed reproduces a
/// completion. Ids past `vocabularyLimit` (padding rows of the embedding the tokenizer cannot decode) never win.
struct TokenSampler {
    let temperature: Double
    let topP: Double
    let vocabularyLimit: Int
    var generator: SeededGenerator

    init(temperature: Double, topP: Double, seed: UInt64?, vocabularyLimit: Int) {
        self.temperature = temperature
        self.topP = topP
        self.vocabularyLimit = vocabularyLimit
        var system = SystemRandomNumberGenerator()
        generator = SeededGenerator(seed: seed ?? system.next())
    }

    /// The next token for `logits` (one row of the model's vocabulary).
    mutating func next(_ logits: [Float]) -> Int {
        let row = Array(logits.prefix(vocabularyLimit))
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
