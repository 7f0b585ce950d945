// TensorBench: NF4 linear kernels against OpenBLAS Float32 on the same shapes, run side by side.
//
//   forward, batch 512, 4096×4096:  NF4Weight.matmulTransposed  vs  cblas_sgemm(x, Wᵀ)   → GFLOPS and ratio
//   input gradient, batch 512:      NF4Weight.matmul            vs  cblas_sgemm(dy, W)
//   batch 1 (generation):           NF4Weight.matvec            vs  cblas_sgemv(W, x)    → µs and speed-up, per kernel
//                                   (NF4 on all cores when OpenBLAS has more than one thread; see MatvecBenchmark.swift)
//
// Kernel and peer run alternately; each figure is reported as best and median of those runs (see PairedTiming). Usage:
//   TensorBench [--rows N] [--cols N] [--batch N] [--repeats N]
//   TensorBench matvec [--rows N] [--cols N] [--repeats N] [--threads N]     (batch 1 only)
//   TensorBench training …                                                   (TrainingThroughput.swift)
import CBLAS
import Foundation
import Tensors

struct Options {
    var rows = 4096, cols = 4096, batch = 512, repeats = 7
    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next().flatMap(Int.init), value > 0 else {
                FileHandle.standardError.write("TensorBench: \(flag) needs a positive integer\n".data(using: .utf8)!)
                exit(2)
            }
            switch flag {
            case "--rows": rows = value
            case "--cols": cols = value
            case "--batch": batch = value
            case "--repeats": repeats = value
            default:
                FileHandle.standardError.write("TensorBench: unknown option \(flag)\n".data(using: .utf8)!)
                exit(2)
            }
        }
    }
}

/// Wall times of a kernel and its peer, measured alternately (peer, kernel, peer, kernel, …) after one warm-up
/// each, so both see the same machine load. The machine is shared, so the report gives the best run (least
/// disturbed) and the median of each side.
struct PairedTiming {
    var kernel: [Double] = []
    var peer: [Double] = []

    init(repeats: Int, kernel runKernel: () -> Void, peer runPeer: () -> Void) {
        runPeer()
        runKernel()
        for _ in 0..<repeats {
            peer.append(Self.seconds(runPeer))
            kernel.append(Self.seconds(runKernel))
        }
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    var kernelBest: Double { kernel.min()! }
    var peerBest: Double { peer.min()! }
    var kernelMedian: Double { kernel.sorted()[kernel.count / 2] }
    var peerMedian: Double { peer.sorted()[peer.count / 2] }
}

/// Deterministic pseudo-normal values (sum of uniforms), enough for timing.
func values(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        var sum: Float = 0
        for _ in 0..<4 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            sum += Float(state >> 40) / Float(1 << 24)
        }
        return (sum - 2) * 1.7
    }
}

if CommandLine.arguments.dropFirst().first == "training" {
    TrainingThroughputBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "matvec" {
    MatvecBenchmark.run(arguments: Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let options = Options(arguments: CommandLine.arguments)
let (rows, cols, batch) = (options.rows, options.cols, options.batch)
print("TensorBench: W \(rows)×\(cols), batch \(batch), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
      + "OpenBLAS threads \(openblas_get_num_threads()), \(options.repeats) alternating runs")

let w = values(rows * cols, seed: 1)
let quantizeSeconds = PairedTiming.seconds { _ = NF4Weight.quantize(w, rows: rows, cols: cols) }
let q = NF4Weight.quantize(w, rows: rows, cols: cols)
print(String(format: "quantize (blocksize 64, double quant): %.1f ms", quantizeSeconds * 1e3))

let x = values(batch * cols, seed: 2)
let dy = values(batch * rows, seed: 3)
var y = [Float](repeating: 0, count: batch * rows)
var dx = [Float](repeating: 0, count: batch * cols)
let flops = 2.0 * Double(batch) * Double(rows) * Double(cols)

let forward = PairedTiming(repeats: options.repeats, kernel: {
    x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { q.matmulTransposed(xs, batch: batch, into: $0) } }
}, peer: {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(rows), Int32(cols),
                1, x, Int32(cols), w, Int32(cols), 0, &y, Int32(rows))
})
let backward = PairedTiming(repeats: options.repeats, kernel: {
    dy.withUnsafeBufferPointer { dys in dx.withUnsafeMutableBufferPointer { q.matmul(dys, batch: batch, into: $0) } }
}, peer: {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(cols), Int32(rows),
                1, dy, Int32(rows), w, Int32(cols), 0, &dx, Int32(cols))
})
func report(_ label: String, _ timing: PairedTiming) {
    func gflops(_ seconds: Double) -> Double { flops / seconds / 1e9 }
    print(String(format: "%@ batch %d: NF4 %.1f GFLOPS  f32 sgemm %.1f GFLOPS  ratio %.2f× best, %.2f× median "
                 + "(NF4 %.1f/%.1f ms, sgemm %.1f/%.1f ms best/median)",
                 label, batch, gflops(timing.kernelBest), gflops(timing.peerBest),
                 timing.peerBest / timing.kernelBest, timing.peerMedian / timing.kernelMedian,
                 timing.kernelBest * 1e3, timing.kernelMedian * 1e3, timing.peerBest * 1e3, timing.peerMedian * 1e3))
}
report("forward  y=x·Wᵀ ", forward)
report("backward dx=dy·W", backward)

MatvecBenchmark.measure(w: w, q: q, x: Array(x[0..<cols]), repeats: max(21, options.repeats * 6),
                        parallel: openblas_get_num_threads() > 1)
