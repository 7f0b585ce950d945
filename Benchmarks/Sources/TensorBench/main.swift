// TensorBench: NF4 linear kernels against OpenBLAS Float32 on the same shapes, run side by side.
//
//   forward, batch 512, 4096×4096:  NF4Weight.matmulTransposed  vs  cblas_sgemm(x, Wᵀ)   → GFLOPS and ratio
//   input gradient, batch 512:      NF4Weight.matmul            vs  cblas_sgemm(dy, W)
//   batch 1 (generation):           NF4Weight.matvec            vs  cblas_sgemv(W, x)    → µs and speed-up
//
// Each figure is the best of several timed runs after a warm-up (the machine is shared; see bestSeconds). Usage:
//   TensorBench [--rows N] [--cols N] [--batch N] [--repeats N]
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

/// Best (minimum) wall time in seconds of `repeats` runs of `body` after one warm-up run. The machine is shared, so
/// the minimum — the run least disturbed by other processes — is the stable figure; both sides get the same rule.
func bestSeconds(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.min()!
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

let options = Options(arguments: CommandLine.arguments)
let (rows, cols, batch) = (options.rows, options.cols, options.batch)
print("TensorBench: W \(rows)×\(cols), batch \(batch), \(ProcessInfo.processInfo.activeProcessorCount) cores, "
      + "OpenBLAS threads \(openblas_get_num_threads()), best of \(options.repeats)")

let w = values(rows * cols, seed: 1)
let quantizeSeconds = bestSeconds(repeats: 1) { _ = NF4Weight.quantize(w, rows: rows, cols: cols) }
let q = NF4Weight.quantize(w, rows: rows, cols: cols)
print(String(format: "quantize (blocksize 64, double quant): %.1f ms", quantizeSeconds * 1e3))

let x = values(batch * cols, seed: 2)
let dy = values(batch * rows, seed: 3)
var y = [Float](repeating: 0, count: batch * rows)
var dx = [Float](repeating: 0, count: batch * cols)
let flops = 2.0 * Double(batch) * Double(rows) * Double(cols)

let sgemmForward = bestSeconds(repeats: options.repeats) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), Int32(rows), Int32(cols),
                1, x, Int32(cols), w, Int32(cols), 0, &y, Int32(rows))
}
let nf4Forward = bestSeconds(repeats: options.repeats) {
    x.withUnsafeBufferPointer { xs in y.withUnsafeMutableBufferPointer { q.matmulTransposed(xs, batch: batch, into: $0) } }
}
let sgemmBackward = bestSeconds(repeats: options.repeats) {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), Int32(cols), Int32(rows),
                1, dy, Int32(rows), w, Int32(cols), 0, &dx, Int32(cols))
}
let nf4Backward = bestSeconds(repeats: options.repeats) {
    dy.withUnsafeBufferPointer { dys in dx.withUnsafeMutableBufferPointer { q.matmul(dys, batch: batch, into: $0) } }
}
func report(_ label: String, nf4: Double, f32: Double) {
    let nf4Gflops = flops / nf4 / 1e9, f32Gflops = flops / f32 / 1e9
    print(String(format: "%@ batch %d: NF4 %.1f GFLOPS (%.1f ms)  f32 sgemm %.1f GFLOPS (%.1f ms)  ratio %.2f×",
                 label, batch, nf4Gflops, nf4 * 1e3, f32Gflops, f32 * 1e3, nf4Gflops / f32Gflops))
}
report("forward  y=x·Wᵀ ", nf4: nf4Forward, f32: sgemmForward)
report("backward dx=dy·W", nf4: nf4Backward, f32: sgemmBackward)

let matvecRepeats = max(21, options.repeats * 6)
var y1 = [Float](repeating: 0, count: rows)
let sgemv = bestSeconds(repeats: matvecRepeats) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(cols), 1, w, Int32(cols), x, 1, 0, &y1, 1)
}
let nf4Matvec = bestSeconds(repeats: matvecRepeats) {
    x.withUnsafeBufferPointer { xs in y1.withUnsafeMutableBufferPointer { q.matmulTransposed(xs, batch: 1, into: $0) } }
}
print(String(format: "matvec   batch 1: NF4 fused %.0f µs  f32 sgemv %.0f µs  speed-up %.2f× (best of %d)",
             nf4Matvec * 1e6, sgemv * 1e6, sgemv / nf4Matvec, matvecRepeats))
