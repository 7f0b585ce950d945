import Foundation
import Testing
@testable import Tensors

@Suite("NF4 weight quantization, packing and double quantization")
struct NF4WeightTests {
    @Test("The even-indexed value goes in the high nibble and the odd one in the low nibble")
    func packingOrder() {
        // Block absmax 1: values are their own normalised values.
        let w: [Float] = [1, -1, 0, 0.5626170039176941, -0.18477343022823334, 0.33791524171829224] + [Float](repeating: 0, count: 26)
        let q = NF4Weight.quantize(w, rows: 1, cols: 32, blocksize: 32, doubleQuant: false)
        #expect(q.packed.count == 16)
        #expect(Array(q.packed.prefix(4)) == [0xF0, 0x7D, 0x5B, 0x77])
        #expect(q.code(at: 0) == 15 && q.code(at: 1) == 0 && q.code(at: 3) == 13)
        #expect(q.absmax == .float32([1]))
    }

    @Test("An odd element count pads the last low nibble with the code of zero, as the CUDA kernel's zero fill does")
    func oddTailPadding() {
        let w: [Float] = [0.25, -0.5, 1]
        let q = NF4Weight.quantize(w, rows: 1, cols: 3, blocksize: 32, doubleQuant: false)
        #expect(q.packed.count == 2)
        #expect(q.packed[1] == 0xF7)
        #expect(q.dequantize().count == 3)
    }

    @Test("Blocks run over the row-major flattened weight, straddling rows")
    func blocksStraddleRows() {
        // 3×24 with blocksize 32: block 0 is row 0 and two thirds of row 1.
        var w = [Float](repeating: 0.1, count: 72)
        w[30] = -4  // in block 0 (row 1)
        w[40] = 2   // in block 1 (row 1)
        let q = NF4Weight.quantize(w, rows: 3, cols: 24, blocksize: 32, doubleQuant: false)
        #expect(q.absmax == .float32([4, 2, 0.1]))
    }

    @Test("Dequantize multiplies each code's value by its block's absmax")
    func dequantizeValues() {
        var sampler = NF4TestNormalSampler(seed: 1)
        let w = sampler.normals(64 * 10)
        let q = NF4Weight.quantize(w, rows: 10, cols: 64, blocksize: 64, doubleQuant: false)
        let restored = q.dequantize()
        for index in 0..<w.count {
            let scale = q.blockScales[index / 64]
            #expect(restored[index] == NF4Codebook.values[Int(q.code(at: index))] * scale)
            #expect(abs(restored[index] - w[index]) <= scale * 0.15)
        }
    }

    @Test("An all-zero block has absmax 0 and dequantizes to zeros")
    func zeroBlock() {
        let q = NF4Weight.quantize([Float](repeating: 0, count: 64), rows: 2, cols: 32, blocksize: 64, doubleQuant: false)
        #expect(q.absmax == .float32([0]))
        #expect(q.dequantize().allSatisfy { $0 == 0 })
    }

    @Test("Double quantization stores absmax minus its mean as 8-bit codes in blocks of 256 and restores it closely")
    func doubleQuantRoundTrip() throws {
        var sampler = NF4TestNormalSampler(seed: 2)
        let w = sampler.normals(512 * 64)  // 512 blocks of 64 → 2 nested blocks
        let plain = NF4Weight.quantize(w, rows: 64, cols: 512, blocksize: 64, doubleQuant: false)
        let double = NF4Weight.quantize(w, rows: 64, cols: 512, blocksize: 64, doubleQuant: true)
        #expect(plain.packed == double.packed)
        guard case .float32(let absmax) = plain.absmax, case .doubleQuantized(let nested) = double.absmax else {
            Issue.record("unexpected absmax storage")
            return
        }
        let mean = absmax.reduce(0, +) / Float(absmax.count)
        #expect(abs(nested.offset - mean) < 1e-5)
        #expect(nested.quantized.blocksize == 256)
        #expect(nested.quantized.codes.count == 512)
        #expect(nested.quantized.absmax.count == 2)
        for (restored, original) in zip(double.blockScales, absmax) {
            #expect(abs(restored - original) <= 0.01 * original)
        }
    }

    @Test("Mean absolute reconstruction error on N(0,1) 1024×1024 at blocksize 64 is within 3% of bitsandbytes' 0.0728")
    func reconstructionErrorMatchesBitsandbytes() {
        var sampler = NF4TestNormalSampler(seed: 42)
        let w = sampler.normals(1024 * 1024)
        for doubleQuant in [false, true] {
            let restored = NF4Weight.quantize(w, rows: 1024, cols: 1024, blocksize: 64, doubleQuant: doubleQuant)
                .dequantize()
            var total = 0.0
            for index in 0..<w.count { total += Double(abs(w[index] - restored[index])) }
            let mae = total / Double(w.count)
            #expect(abs(mae - 0.0728) <= 0.0728 * 0.03, "MAE \(mae) (double quant \(doubleQuant))")
        }
    }

    @Test("Every supported blocksize quantizes and restores, and the absmax count is ceil(n / blocksize)")
    func blocksizes() {
        var sampler = NF4TestNormalSampler(seed: 3)
        let w = sampler.normals(80 * 100)
        for blocksize in NF4Weight.supportedBlocksizes.sorted() {
            let q = NF4Weight.quantize(w, rows: 80, cols: 100, blocksize: blocksize)
            #expect(q.blockScales.count == (8000 + blocksize - 1) / blocksize)
            let restored = q.dequantize()
            let mae = zip(w, restored).reduce(0.0) { $0 + Double(abs($1.0 - $1.1)) } / 8000
            #expect(mae < 0.12, "blocksize \(blocksize): MAE \(mae)")
        }
    }

    @Test("Quantizing the same weight twice gives identical bytes")
    func deterministic() {
        var sampler = NF4TestNormalSampler(seed: 4)
        let w = sampler.normals(300 * 128)
        let first = NF4Weight.quantize(w, rows: 300, cols: 128)
        let second = NF4Weight.quantize(w, rows: 300, cols: 128)
        #expect(first.packed == second.packed)
        #expect(first.absmax == second.absmax)
    }
}
