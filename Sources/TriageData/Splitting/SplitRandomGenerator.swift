/// A seeded SplitMix64 generator: the split's shuffles and choices depend only on the seed, on every platform
/// and Swift version (the system generator cannot be seeded).
public struct SplitRandomGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `seed`, with `stream` selecting an independent sequence (one per stratum or purpose).
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = seed ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The SplitMix64 finalizer, also used to derive MinHash functions.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A Fisher–Yates shuffle driven only by this generator (the standard library's algorithm may change).
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            items.swapAt(i, j)
        }
    }
}
