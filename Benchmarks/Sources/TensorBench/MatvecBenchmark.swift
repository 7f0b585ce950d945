// Batch-1 (generation) NF4 matrix-vector product against Float32 `cblas_sgemv` on the same W and x.
//
//   TensorBench matvec [--rows N] [--cols N] [--repeats N] [--threads N]
//
// `--threads 1` runs OpenBLAS on one thread and the NF4 kernels on the calling thread only; any larger value sets
// OpenBLAS to that many threads and spreads the NF4 rows over all cores (default: the core count). sgemv and every
// NF4 kernel this CPU runs are timed in turn within each round (sgemv, portable, avx2, avx512, sgemv, …), so all
// see the same machine load; each gets its best and median time and the speed-up sgemv time / NF4 time.
import CBLAS
import Foundation
import Tensors

/// The matvec benchmark (`TensorBench matvec`, and the last part of the default run).
enum MatvecBenchmark {
    /// Parses `arguments` (after the `matvec` word), builds W and x, runs the comparison and prints it.
    static func run(arguments: [String]) {
        var rows = 4096, cols = 4096, repeats = 41, threads = ProcessInfo.processInfo.activeProcessorCount
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard let text = iterator.next(), let value = Int(text), value > 0 else {
                fail("\(flag) needs a positive integer")
            }
            switch flag {
            case "--rows": rows = value
            case "--cols": cols = value
            case "--repeats": repeats = value
            case "--threads": threads = value
            default: fail("unknown option \(flag) (see the header of MatvecBenchmark.swift)")
            }
        }
        openblas_set_num_threads(Int32(threads))
        let w = values(rows * cols, seed: 1)
        let q = NF4Weight.quantize(w, rows: rows, cols: cols)
        let x = values(cols, seed: 2)
        print("TensorBench matvec: W \(rows)×\(cols) (blocksize 64, double quant), "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores, OpenBLAS threads \(openblas_get_num_threads()), "
              + "NF4 \(threads > 1 ? "on all cores" : "on 1 thread"), \(repeats) rounds")
        measure(w: w, q: q, x: x, repeats: repeats, parallel: threads > 1)
    }

    /// Times sgemv and every available NF4 kernel round-robin and prints one line per kernel.
    static func measure(w: [Float], q: NF4Weight, x: [Float], repeats: Int, parallel: Bool) {
        let (rows, cols) = (q.rows, q.cols)
        let kernels = NF4MatvecKernel.available
        var outputs = [[Float]](repeating: [Float](repeating: 0, count: rows), count: kernels.count)
        var reference = [Float](repeating: 0, count: rows)
        func runPeer() {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows), Int32(cols), 1, w, Int32(cols), x, 1, 0,
                        &reference, 1)
        }
        func runKernel(_ index: Int) {
            x.withUnsafeBufferPointer { xs in
                outputs[index].withUnsafeMutableBufferPointer {
                    q.matvec(xs.baseAddress!, into: $0.baseAddress!, kernel: kernels[index], parallel: parallel)
                }
            }
        }
        runPeer()
        for index in kernels.indices { runKernel(index) }
        var peerTimes: [Double] = []
        var kernelTimes = [[Double]](repeating: [], count: kernels.count)
        for _ in 0..<repeats {
            peerTimes.append(PairedTiming.seconds(runPeer))
            for index in kernels.indices { kernelTimes[index].append(PairedTiming.seconds { runKernel(index) }) }
        }
        func median(_ times: [Double]) -> Double { times.sorted()[times.count / 2] }
        let peerBest = peerTimes.min()!, peerMedian = median(peerTimes)
        print(String(format: "matvec   batch 1: f32 sgemv %.0f µs best, %.0f µs median", peerBest * 1e6, peerMedian * 1e6))
        for (index, kernel) in kernels.enumerated() {
            let best = kernelTimes[index].min()!, middle = median(kernelTimes[index])
            // The kernels must agree with each other (tests check each against dequantize-then-matmul).
            let spread = zip(outputs[index], outputs[0]).map { abs($0 - $1) }.max() ?? 0
            print(String(format: "matvec   batch 1: NF4 %@%@ %.0f µs best, %.0f µs median  speed-up vs sgemv %.2f× best, "
                         + "%.2f× median  (max |y − y_portable| %.1e)",
                         kernel.rawValue, kernel == NF4MatvecKernel.best ? " (default)" : "", best * 1e6, middle * 1e6,
                         peerBest / best, peerMedian / middle, spread))
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("TensorBench matvec: \(message)\n".utf8))
        exit(2)
    }
}
