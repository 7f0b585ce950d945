import Foundation
import Testing
@testable import Tensors

@Suite("NF4 batch-1 matvec kernels (every kernel this CPU runs)")
struct NF4MatvecKernelTests {
    /// Shapes for every path: 4-row groups with leftovers, every blocksize from 32 to 4096, several blocks per row,
    /// and rows that are not whole blocks (odd columns, blocks straddling rows), which fall back to the portable code.
    static let shapes: [(rows: Int, cols: Int, blocksize: Int)] = [
        (4, 32, 32), (13, 256, 32), (7, 4096, 64), (9, 192, 64), (6, 384, 128), (5, 512, 256), (3, 1024, 512),
        (2, 2048, 1024), (4, 4096, 2048), (2, 8192, 4096), (37, 100, 32), (5, 7, 32), (11, 48, 32), (1, 64, 64),
    ]

    /// W·x computed by `kernel` (serially or on all cores).
    static func run(_ q: NF4Weight, _ x: [Float], kernel: NF4MatvecKernel, parallel: Bool) -> [Float] {
        var y = [Float](repeating: .nan, count: q.rows)
        x.withUnsafeBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { q.matvec(xs.baseAddress!, into: $0.baseAddress!, kernel: kernel, parallel: parallel) }
        }
        return y
    }

    @Test("Every available kernel matches dequantize-then-matmul on every shape and blocksize",
          arguments: NF4MatvecKernel.available)
    func matchesReference(kernel: NF4MatvecKernel) {
        var sampler = NF4TestNormalSampler(seed: 4242)
        for (index, shape) in Self.shapes.enumerated() {
            let q = NF4Weight.quantize(sampler.normals(shape.rows * shape.cols), rows: shape.rows, cols: shape.cols,
                                       blocksize: shape.blocksize, doubleQuant: index % 2 == 0)
            let x = sampler.normals(shape.cols)
            let expected = referenceLinear(x, q.dequantize(), batch: 1, rows: shape.rows, cols: shape.cols)
            let y = Self.run(q, x, kernel: kernel, parallel: true)
            let tolerance = 1e-4 * Float(shape.cols).squareRoot()
            let worst = zip(y, expected).map { abs($0 - $1) }.max()!
            #expect(worst <= tolerance, "\(kernel) \(shape): max error \(worst)")
        }
    }

    @Test("Every available kernel gives bit-identical y on one thread and on all cores",
          arguments: NF4MatvecKernel.available)
    func threadCountDoesNotChangeResult(kernel: NF4MatvecKernel) {
        var sampler = NF4TestNormalSampler(seed: 99)
        for (rows, cols, blocksize) in [(1027, 512, 64), (203, 4096, 32), (130, 100, 32)] {
            let q = NF4Weight.quantize(sampler.normals(rows * cols), rows: rows, cols: cols, blocksize: blocksize)
            let x = sampler.normals(cols)
            let serial = Self.run(q, x, kernel: kernel, parallel: false)
            let parallel = Self.run(q, x, kernel: kernel, parallel: true)
            #expect(serial == parallel, "\(kernel) \(rows)×\(cols)")
            #expect(!serial.contains { $0.isNaN }, "\(kernel) \(rows)×\(cols): a row was not written")
        }
    }

    @Test("A row's result does not depend on which rows share its four-row group",
          arguments: NF4MatvecKernel.available)
    func rowResultIsIndependentOfGrouping(kernel: NF4MatvecKernel) {
        var sampler = NF4TestNormalSampler(seed: 7)
        let (rows, cols, blocksize) = (13, 256, 32)
        let q = NF4Weight.quantize(sampler.normals(rows * cols), rows: rows, cols: cols, blocksize: blocksize,
                                   doubleQuant: false)
        let x = sampler.normals(cols)
        let whole = Self.run(q, x, kernel: kernel, parallel: false)
        // Rows 2..<7 alone: row 2 now leads a group of four, row 6 is a leftover (in the whole weight row 6 sits in
        // a four-row group and row 12 is the leftover).
        let blocksPerRow = cols / blocksize
        let part = NF4Weight(rows: 5, cols: cols, blocksize: blocksize,
                             packed: Array(q.packed[(2 * cols / 2)..<(7 * cols / 2)]),
                             absmax: .float32(Array(q.blockScales[(2 * blocksPerRow)..<(7 * blocksPerRow)])))
        #expect(Self.run(part, x, kernel: kernel, parallel: false) == Array(whole[2..<7]))
    }

    @Test("All-zero rows give exactly zero and a constant row gives absmax times the sum of x",
          arguments: NF4MatvecKernel.available)
    func degenerateRows(kernel: NF4MatvecKernel) {
        let cols = 128
        var w = [Float](repeating: 0, count: 4 * cols)
        for c in 0..<cols { w[cols + c] = 2 }  // row 1: every value is its block's absmax (code 15 = 1.0)
        let q = NF4Weight.quantize(w, rows: 4, cols: cols, blocksize: 64, doubleQuant: false)
        let x = (0..<cols).map { Float($0 % 5) - 2 }  // sums to -2 per 5 values: exact in Float32
        let y = Self.run(q, x, kernel: kernel, parallel: false)
        #expect(y[0] == 0 && y[2] == 0 && y[3] == 0)
        #expect(y[1] == 2 * x.reduce(0, +))
    }

    @Test("The portable kernel is always available and the best kernel is one this CPU runs")
    func availability() {
        #expect(NF4MatvecKernel.available.first == .portable)
        #expect(NF4MatvecKernel.best.isAvailable)
        #expect(NF4MatvecKernel.available.last == NF4MatvecKernel.best)
    }

    @Test("On Linux the detected kernels agree with the CPU flags in /proc/cpuinfo")
    func detectionMatchesCPUFlags() throws {
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            return  // not Linux: nothing to compare against
        }
        let flags = Set(flagsLine.split(separator: ":").last!.split(separator: " ").map(String.init))
        #expect(NF4MatvecKernel.avx2.isAvailable == (flags.contains("avx2") && flags.contains("fma")))
        #expect(NF4MatvecKernel.avx512.isAvailable == flags.contains("avx512f"))
    }
}
