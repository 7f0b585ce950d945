import Foundation

/// A deterministic pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random choice in training (initialisation, dropout, shuffling) draws from one of these, so the same seed
/// gives byte-identical results on every machine; `SystemRandomNumberGenerator` would not.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A generator whose whole stream is fixed by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform value in [0, 1) with 24 random bits (every Float32 step in that range is reachable).
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform value in [low, high).
    public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUnitFloat()
    }

    /// A standard normal sample (Box–Muller on two uniforms; computed in Double for accuracy in the tails).
    public mutating func nextNormal() -> Float {
        let u1 = (Double(next() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)  // (0, 1]
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// A derived generator for an independent stream (e.g. one per layer), fixed by this one's state and `salt`.
    public func forked(salt: UInt64) -> SeededGenerator {
        SeededGenerator(seed: s0 ^ (salt &* 0x9E37_79B9_7F4A_7C15) ^ s3.rotatedLeft(13))
    }
}

private extension UInt64 {
    func rotatedLeft(_ k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}

extension Tensor {
    /// A tensor of independent N(mean, std²) samples drawn from `generator`.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1,
                              using generator: inout SeededGenerator) -> Tensor {
        let n = elementCount(shape)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = mean + std * generator.nextNormal() }
        return Tensor(shape: shape, scalars: values)
    }

    /// A tensor of independent U[low, high) samples drawn from `generator`.
    public static func uniform(_ shape: [Int], low: Float, high: Float,
                               using generator: inout SeededGenerator) -> Tensor {
        let n = elementCount(shape)
        var values = [Float](repeating: 0, count: n)
        for i in 0..<n { values[i] = generator.nextUniform(low, high) }
        return Tensor(shape: shape, scalars: values)
    }
}
