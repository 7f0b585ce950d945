import Testing
@testable import Tensors

@Suite("NF4 linear kernels against dequantize-then-matmul")
struct NF4KernelTests {
    /// Shapes covering panels, partial panels, blocks straddling rows and odd element counts.
    static let shapes: [(rows: Int, cols: Int, blocksize: Int)] = [
        (64, 64, 64), (37, 100, 32), (300, 96, 128), (5, 7, 32), (1030, 24, 64),
        (600, 520, 64),  // several row and column panels
        (13, 256, 32),   // four-row kernel plus a leftover row
    ]

    @Test("Forward y = x·Wᵀ matches the reference on the dequantized weight for batch 1, 3 and 17",
          arguments: [1, 3, 17])
    func forwardMatchesReference(batch: Int) {
        var sampler = NF4TestNormalSampler(seed: UInt64(batch))
        for shape in Self.shapes {
            let q = NF4Weight.quantize(sampler.normals(shape.rows * shape.cols), rows: shape.rows, cols: shape.cols,
                                       blocksize: shape.blocksize)
            let x = sampler.normals(batch * shape.cols)
            let expected = referenceLinear(x, q.dequantize(), batch: batch, rows: shape.rows, cols: shape.cols)
            var y = [Float](repeating: .nan, count: batch * shape.rows)
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeMutableBufferPointer { q.matmulTransposed(xs, batch: batch, into: $0) }
            }
            let tolerance = 1e-4 * Float(shape.cols).squareRoot()
            let worst = zip(y, expected).map { abs($0 - $1) }.max()!
            #expect(worst <= tolerance, "\(shape) batch \(batch): max error \(worst)")
        }
    }

    @Test("Input gradient dx = dy·W matches the reference on the dequantized weight for batch 1, 2 and 9",
          arguments: [1, 2, 9])
    func inputGradientMatchesReference(batch: Int) {
        var sampler = NF4TestNormalSampler(seed: 100 + UInt64(batch))
        for shape in Self.shapes {
            let q = NF4Weight.quantize(sampler.normals(shape.rows * shape.cols), rows: shape.rows, cols: shape.cols,
                                       blocksize: shape.blocksize)
            let dy = sampler.normals(batch * shape.rows)
            // dx = dy · W is the linear forward with Wᵀ as the weight.
            let w = q.dequantize()
            var wT = [Float](repeating: 0, count: w.count)
            for r in 0..<shape.rows { for c in 0..<shape.cols { wT[c * shape.rows + r] = w[r * shape.cols + c] } }
            let expected = referenceLinear(dy, wT, batch: batch, rows: shape.cols, cols: shape.rows)
            var dx = [Float](repeating: .nan, count: batch * shape.cols)
            dy.withUnsafeBufferPointer { dys in
                dx.withUnsafeMutableBufferPointer { q.matmul(dys, batch: batch, into: $0) }
            }
            let tolerance = 1e-4 * Float(shape.rows).squareRoot()
            let worst = zip(dx, expected).map { abs($0 - $1) }.max()!
            #expect(worst <= tolerance, "\(shape) batch \(batch): max error \(worst)")
        }
    }

    @Test("A 4096×4096 weight is decoded in panels of 256 rows or 512 columns, never whole")
    func panelsAreBounded() {
        let q = NF4Weight(rows: 4096, cols: 4096, blocksize: 64, packed: [UInt8](repeating: 0x77, count: 4096 * 2048),
                          absmax: .float32([Float](repeating: 1, count: 4096 * 64)))
        #expect(q.forwardPanelRows == 256)
        #expect(q.gradientPanelColumns == 512)
        let small = NF4Weight.quantize([Float](repeating: 1, count: 64), rows: 2, cols: 32, blocksize: 32)
        #expect(small.forwardPanelRows == 2 && small.gradientPanelColumns == 32)
    }

    @Test("The panel decoder reproduces dequantize for an arbitrary element range")
    func decodeRange() {
        var sampler = NF4TestNormalSampler(seed: 77)
        let q = NF4Weight.quantize(sampler.normals(13 * 50), rows: 13, cols: 50, blocksize: 32)
        let full = q.dequantize()
        for range in [0..<650, 1..<2, 31..<97, 33..<34, 100..<101, 64..<650] {
            var out = [Float](repeating: .nan, count: range.count)
            out.withUnsafeMutableBufferPointer { q.decode(elements: range, into: $0.baseAddress!) }
            #expect(out == Array(full[range]), "range \(range)")
        }
    }
}
