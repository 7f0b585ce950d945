import Tensors
@testable import Triage

/// Tiny Qwen3 shapes for tests: GQA (4 query heads over 2 kv heads), head_dim ≠ hidden/heads as in real Qwen3.
enum Qwen3Fixtures {
    static func tinyConfig(tied: Bool = true, layers: Int = 2, vocab: Int = 37) -> Qwen3Config {
        Qwen3Config(hiddenSize: 16, intermediateSize: 24, numHiddenLayers: layers, numAttentionHeads: 4,
                    numKeyValueHeads: 2, headDim: 6, rmsNormEps: 1e-6, ropeTheta: 10_000, vocabSize: vocab,
                    tieWordEmbeddings: tied, maxPositionEmbeddings: 128)
    }

    /// A random model with larger-than-default weights so logits differ clearly between tokens.
    static func tinyModel(tied: Bool = true, seed: UInt64 = 1) -> Qwen3Model {
        var config = tinyConfig(tied: tied)
        config.initializerRange = 0.3
        return Qwen3Model(randomlyInitialized: config, seed: seed)
    }

    /// A reproducible token sequence.
    static func tokens(_ count: Int, vocab: Int = 37, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Int(generator.next() % UInt64(vocab)) }
    }
}
