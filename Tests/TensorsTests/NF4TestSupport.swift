import Foundation
@testable import Tensors

/// A seeded N(0,1) sampler for NF4 tests: SplitMix64 bits through Box–Muller (both outputs used).
struct NF4TestNormalSampler {
    private var state: UInt64
    private var spare: Float?

    init(seed: UInt64) { state = seed }

    mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in (0, 1].
    mutating func uniform() -> Double { (Double(nextBits() >> 11) + 1) * 0x1p-53 }

    mutating func normal() -> Float {
        if let value = spare {
            spare = nil
            return value
        }
        let radius = (-2 * Foundation.log(uniform())).squareRoot()
        let angle = 2 * Double.pi * uniform()
        spare = Float(radius * Foundation.sin(angle))
        return Float(radius * Foundation.cos(angle))
    }

    mutating func normals(_ count: Int, scale: Float = 1) -> [Float] { (0..<count).map { _ in normal() * scale } }
}

/// Plain triple-loop y = x · Wᵀ in Double, the reference the kernels are checked against.
func referenceLinear(_ x: [Float], _ w: [Float], batch: Int, rows: Int, cols: Int) -> [Float] {
    var y = [Float](repeating: 0, count: batch * rows)
    for b in 0..<batch {
        for r in 0..<rows {
            var sum = 0.0
            for c in 0..<cols { sum += Double(x[b * cols + c]) * Double(w[r * cols + c]) }
            y[b * rows + r] = Float(sum)
        }
    }
    return y
}

/// A fresh empty temp directory for a test.
func makeTemporaryDirectory(_ label: String) throws -> String {
    let path = NSTemporaryDirectory() + "nf4-tests-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
