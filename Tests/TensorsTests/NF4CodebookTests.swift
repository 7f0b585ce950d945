import Foundation
import Testing
@testable import Tensors

@Suite("NF4 codebook and nearest-code mapping")
struct NF4CodebookTests {
    @Test("Every codebook value maps to its own code, with -1 to code 0, 0 to code 7 and +1 to code 15")
    func codebookValuesMapToThemselves() {
        for (code, value) in NF4Codebook.values.enumerated() {
            #expect(NF4Codebook.code(for: value) == UInt8(code))
        }
        #expect(NF4Codebook.code(for: -1) == 0)
        #expect(NF4Codebook.code(for: 0) == 7)
        #expect(NF4Codebook.code(for: -0.0) == 7)
        #expect(NF4Codebook.code(for: 1) == 15)
    }

    @Test("Values beyond ±1 saturate to the end codes and NaN falls to code 0 as on the GPU")
    func outOfRangeAndNaN() {
        #expect(NF4Codebook.code(for: 1.5) == 15)
        #expect(NF4Codebook.code(for: -7) == 0)
        #expect(NF4Codebook.code(for: .nan) == 0)
    }

    @Test("Thresholds are the midpoints between neighbouring codes")
    func thresholdsAreMidpoints() {
        for k in 0..<15 {
            let midpoint = (Double(NF4Codebook.values[k]) + Double(NF4Codebook.values[k + 1])) / 2
            #expect(abs(Double(NF4Codebook.midpoints[k]) - midpoint) < 1e-7)
        }
    }

    @Test("A value exactly on a midpoint takes the lower code and the next float up takes the upper code")
    func tiesGoToTheLowerCode() {
        for (k, threshold) in NF4Codebook.midpoints.enumerated() {
            #expect(NF4Codebook.code(for: threshold) == UInt8(k))
            #expect(NF4Codebook.code(for: threshold.nextUp) == UInt8(k + 1))
            #expect(NF4Codebook.code(for: threshold.nextDown) == UInt8(k))
        }
    }

    @Test("The decision tree picks the nearest codebook value for random inputs")
    func treeIsNearest() {
        var sampler = NF4TestNormalSampler(seed: 11)
        for _ in 0..<20_000 {
            let x = Float(sampler.uniform() * 2 - 1)
            let code = Int(NF4Codebook.code(for: x))
            let distance = abs(NF4Codebook.values[code] - x)
            let best = NF4Codebook.values.map { abs($0 - x) }.min()!
            #expect(distance <= best + 1e-7)
        }
    }

    @Test("The branch-free search used for bulk quantization agrees with the tree everywhere, ties and NaN included")
    func branchFreeMatchesTree() {
        var probes: [Float] = [0, -0.0, 1, -1, 2, -2, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]
        for threshold in NF4Codebook.midpoints { probes += [threshold, threshold.nextUp, threshold.nextDown] }
        var sampler = NF4TestNormalSampler(seed: 21)
        probes += (0..<50_000).map { _ in Float(sampler.uniform() * 2.2 - 1.1) }
        for x in probes {
            #expect(NF4Codebook.branchFreeCode(for: x, midpoints: NF4Codebook.midpointTable) == NF4Codebook.code(for: x),
                    "x = \(x)")
        }
    }

    @Test("The byte-pair table decodes the high nibble first")
    func bytePairsHighNibbleFirst() {
        #expect(NF4Codebook.bytePairs[0xF0] == SIMD2(1, -1))
        #expect(NF4Codebook.bytePairs[0x7F] == SIMD2(0, 1))
    }
}

@Suite("Dynamic 8-bit map and blockwise 8-bit quantization")
struct DynamicQuantizationMapTests {
    @Test("The signed dynamic map has 256 sorted entries from -0.99296875 to 1 with zero at index 127")
    func signedMapShape() {
        let map = DynamicQuantizationMap.signed
        #expect(map.count == 256)
        #expect(zip(map, map.dropFirst()).allSatisfy { $0 < $1 })
        #expect(map[127] == 0)
        #expect(map[255] == 1)
        #expect(abs(map[0] + 0.99296875) < 1e-7)
        #expect(abs(map[128] - 5.5e-7) < 1e-12)  // 10⁻⁶ · mean(0.1, 1)
        #expect(map[128..<255].allSatisfy { value in map.contains(-value) })
    }

    @Test("The binary search of dQuantize finds the nearest map entry")
    func binarySearchIsNearest() {
        let map = DynamicQuantizationMap.signed
        var sampler = NF4TestNormalSampler(seed: 5)
        map.withUnsafeBufferPointer { buffer in
            for _ in 0..<20_000 {
                let magnitude = Float(Foundation.pow(10, -6 * sampler.uniform()))
                let x = sampler.uniform() < 0.5 ? -magnitude : magnitude
                let code = Int(DynamicQuantizationMap.code(for: x, in: buffer))
                let best = map.map { abs($0 - x) }.min()!
                #expect(abs(map[code] - x) <= best * 1.000001 + 1e-12)
            }
            #expect(DynamicQuantizationMap.code(for: 1, in: buffer) == 255)
            #expect(DynamicQuantizationMap.code(for: 0, in: buffer) == 127)
        }
    }

    @Test("Blockwise 8-bit quantization round trips within half a map step of each block's absmax")
    func blockwiseRoundTrip() {
        var sampler = NF4TestNormalSampler(seed: 9)
        let values = sampler.normals(1000)
        let quantized = Blockwise8BitQuantization.quantize(values, blocksize: 256)
        #expect(quantized.absmax.count == 4)
        let restored = quantized.dequantize()
        for (index, value) in values.enumerated() {
            let absmax = quantized.absmax[index / 256]
            #expect(abs(restored[index] - value) <= absmax * 0.02)
        }
    }
}
