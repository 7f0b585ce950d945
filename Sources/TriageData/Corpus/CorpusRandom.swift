/// A small, fast, seedable random number generator (SplitMix64) so every generated corpus, shuffle and hash
/// family is the same for the same seed on every machine.
public struct CorpusRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64, Steele et al. 2014).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (multiply-shift, platform independent).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: width).high)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// A uniformly chosen element of a non-empty array.
    public mutating func pick<T>(_ items: [T]) -> T {
        precondition(!items.isEmpty, "pick from an empty array")
        return items[int(in: 0...(items.count - 1))]
    }

    /// A one-decimal value uniformly in `range`.
    public mutating func decimal(in range: ClosedRange<Double>) -> Double {
        let lo = Int((range.lowerBound * 10).rounded()), hi = Int((range.upperBound * 10).rounded())
        return Double(int(in: lo...hi)) / 10
    }

    /// A Fisher–Yates shuffle driven by this generator.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, int(in: 0...i))
        }
    }

    /// An independent generator for a sub-task, so adding draws to one part does not shift another.
    public func derived(_ salt: UInt64) -> CorpusRandom {
        var copy = CorpusRandom(seed: state ^ (salt &* 0xD6E8_FEB8_6659_FD93))
        _ = copy.next()
        return copy
    }
}
