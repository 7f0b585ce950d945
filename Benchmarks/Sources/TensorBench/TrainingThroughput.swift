// Training throughput of the small default Qwen3 model on 2 OpenBLAS threads, with raw cblas_sgemm as the peer.
//
//   TensorBench training [--mode full|lora|qlora] [--batch N] [--length N] [--steps N] [--threads N]
//
// A training step is forward + backward + AdamW over one batch of `batch` sequences of `length` tokens. The peer
// figure is cblas_sgemm GFLOPS on the model's most common shape (tokens × hidden · hiddenᵀ × intermediate), timed in
// the same process, alternating with the training steps; the ratio "achieved training GFLOPS / sgemm GFLOPS" says how
// close the whole step comes to pure BLAS speed (the rest is attention, norms, activations and the optimizer).
// Best-of and median figures are both printed: the machine may be shared.
import Foundation
import Tensors
import Triage

/// The training-throughput benchmark (`TensorBench training`).
enum TrainingThroughputBenchmark {
    /// The small default model: hidden 256, 4 layers, GQA 4/2 heads of 64, SwiGLU 768, vocab 8192.
    static let defaultConfig = Qwen3Config(hiddenSize: 256, intermediateSize: 768, numHiddenLayers: 4,
                                           numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 64,
                                           rmsNormEps: 1e-6, ropeTheta: 1_000_000, vocabSize: 8192,
                                           tieWordEmbeddings: true, maxPositionEmbeddings: 2048)

    struct Options {
        var mode = "full", batch = 4, length = 256, steps = 5, threads = 2
    }

    /// Parses `arguments` (after the `training` word), runs the benchmark and prints its figures.
    static func run(arguments: [String]) {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fail("\(flag) needs a value") }
            switch flag {
            case "--mode" where ["full", "lora", "qlora"].contains(value): options.mode = value
            case "--batch": options.batch = positive(flag, value)
            case "--length": options.length = positive(flag, value)
            case "--steps": options.steps = positive(flag, value)
            case "--threads": options.threads = positive(flag, value)
            default: fail("unknown option \(flag) \(value) (see the header of TrainingThroughput.swift)")
            }
        }
        // The stages' allocator policy (MALLOC_* in the environment still win); threads come from --threads.
        TrainingRuntime.configure()
        BLAS.setThreadCount(options.threads)
        let config = defaultConfig
        let model = makeModel(config, mode: options.mode)
        var generator = SeededGenerator(seed: 1)
        let batch = (0..<options.batch).map { _ in
            (0..<options.length).map { _ in Int(generator.next() % UInt64(config.vocabSize)) }
        }
        let parameters = model.trainableParameters()
        let optimizer = AdamW(parameters: parameters)
        func step() -> Float {
            let loss = model.causalLanguageModelLoss(inputIds: batch, labels: batch)
            loss.backward()
            clipGradientNorm(parameters, maxNorm: 1)
            optimizer.step(learningRate: 1e-4)
            optimizer.zeroGrad()
            return loss.value.scalar
        }
        _ = step()   // warm-up
        // Training steps and peer sgemm runs alternate so both see the same machine load.
        let peerShape = (m: options.batch * options.length, n: config.intermediateSize, k: config.hiddenSize)
        var stepTimes: [Double] = [], peerRates: [Double] = []
        var lastLoss: Float = 0
        for _ in 0..<options.steps {
            let start = DispatchTime.now().uptimeNanoseconds
            lastLoss = step()
            stepTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            peerRates.append(sgemmGFLOPS(m: peerShape.m, n: peerShape.n, k: peerShape.k))
        }
        // Best-of figures estimate the unloaded machine (other processes only ever slow a run down); medians
        // show what a loaded machine gives.
        let seconds = stepTimes.min()!, medianSeconds = median(stepTimes)
        let tokensPerStep = Double(options.batch * options.length)
        let flopsPerStep = trainingFlopsPerToken(config, length: options.length) * tokensPerStep
        let achieved = flopsPerStep / seconds / 1e9
        let peer = peerRates.max()!
        print("training (\(options.mode)): hidden \(config.hiddenSize), \(config.numHiddenLayers) layers, vocab "
              + "\(config.vocabSize), batch \(options.batch)×\(options.length), \(options.threads) threads, "
              + "\(parameters.count) trainable tensors")
        print(String(format: "  best %.0f tokens/s (%.3f s/step); median %.0f tokens/s over %d steps; last loss %.3f",
                     tokensPerStep / seconds, seconds, tokensPerStep / medianSeconds, options.steps, lastLoss))
        print(String(format: "  best achieved %.1f GFLOPS (dense-equivalent 6·N·tokens + attention) vs best cblas_sgemm "
                     + "%.1f GFLOPS on %d×%d·%d×%d → ratio %.2f (median ratio %.2f)", achieved, peer, options.batch * options.length,
                     config.hiddenSize, config.hiddenSize, config.intermediateSize, achieved / peer,
                     flopsPerStep / medianSeconds / 1e9 / median(peerRates)))
    }

    static func makeModel(_ config: Qwen3Config, mode: String) -> Qwen3Model {
        let dense = Qwen3Model(randomlyInitialized: config, seed: 7)
        switch mode {
        case "full":
            return dense
        case "lora":
            try! dense.applyLoRA(LoRAConfig(rank: 16, alpha: 32, dropout: 0.05), seed: 3)
            dense.setTraining(true)
            return dense
        default:
            let model = try! Qwen3Model(config: config, weights: dense.stateDict(), projections: .nf4())
            try! model.applyLoRA(LoRAConfig(rank: 16, alpha: 32, dropout: 0.05), seed: 3)
            model.setTraining(true)
            return model
        }
    }

    /// Forward + backward FLOPs per token as a dense count: 6 per matmul weight (projections and LM head) plus
    /// 12·T·(heads·head_dim) per layer for the full T×T score and value products.
    static func trainingFlopsPerToken(_ c: Qwen3Config, length: Int) -> Double {
        let attentionWidth = c.numAttentionHeads * c.headDim, kvWidth = c.numKeyValueHeads * c.headDim
        let perLayer = c.hiddenSize * (2 * attentionWidth + 2 * kvWidth) + 3 * c.hiddenSize * c.intermediateSize
        let weights = Double(c.numHiddenLayers * perLayer + c.vocabSize * c.hiddenSize)
        return 6 * weights + 12 * Double(c.numHiddenLayers * length * attentionWidth)
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// Median GFLOPS of cblas_sgemm on an m×k · (n×k)ᵀ product (the linear-layer shape).
    static func sgemmGFLOPS(m: Int, n: Int, k: Int) -> Double {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: n * k)
        var c = [Float](repeating: 0, count: m * n)
        var times: [Double] = []
        for round in 0..<6 {
            let start = DispatchTime.now().uptimeNanoseconds
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    c.withUnsafeMutableBufferPointer { cp in
                        BLAS.gemm(transB: true, m: m, n: n, k: k, a: ap.baseAddress!, lda: k, b: bp.baseAddress!,
                                  ldb: k, c: cp.baseAddress!, ldc: n)
                    }
                }
            }
            if round > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        }
        return 2 * Double(m * n * k) / times.sorted()[times.count / 2] / 1e9
    }

    static func positive(_ flag: String, _ value: String) -> Int {
        guard let n = Int(value), n > 0 else { fail("\(flag) needs a positive integer, got \(value)") }
        return n
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("TensorBench training: \(message)\n".utf8))
        exit(2)
    }
}
