/// MinHash signatures over character shingles, with a seeded hash family so the same seed always groups the
/// same near-duplicates.
///
/// Text is folded to lowercase letters, digits and single spaces before shingling, so casing, punctuation and
/// whitespace edits do not count as differences. Cost: O(shingles × hashes) per text.
public struct MinHasher: Sendable {
    /// Characters per shingle.
    public let shingleSize: Int
    /// Signature length (bands × rows of the LSH index that reads it).
    public let hashCount: Int
    private let multipliers: [UInt64]
    private let increments: [UInt64]

    public init(shingleSize: Int = 5, hashCount: Int = 120, seed: UInt64) {
        precondition(shingleSize > 0 && hashCount > 0, "MinHasher needs positive sizes")
        self.shingleSize = shingleSize
        self.hashCount = hashCount
        var rng = CorpusRandom(seed: seed)
        multipliers = (0..<hashCount).map { _ in rng.next() | 1 }
        increments = (0..<hashCount).map { _ in rng.next() }
    }

    /// The folded form shingles are taken from.
    public static func fold(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var space = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if space, !out.isEmpty { out.append(" ") }
                space = false
                out.append(scalar)
            } else {
                space = true
            }
        }
        return out
    }

    /// The sorted, distinct 64-bit hashes of the text's shingles (FNV-1a over the shingle's scalars).
    public func shingles(_ text: String) -> [UInt64] {
        let folded = Self.fold(text)
        guard !folded.isEmpty else { return [] }
        var hashes: Set<UInt64> = []
        let width = min(shingleSize, folded.count)
        for start in 0...(folded.count - width) {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for k in start..<(start + width) {
                h = (h ^ UInt64(folded[k].value)) &* 0x0000_0100_0000_01B3
            }
            hashes.insert(h)
        }
        return hashes.sorted()
    }

    /// The signature: for each hash function, the minimum over shingles.
    public func signature(ofShingles shingles: [UInt64]) -> [UInt64] {
        var signature = [UInt64](repeating: .max, count: hashCount)
        for shingle in shingles {
            let mixed = shingle ^ (shingle >> 29)
            for i in 0..<hashCount {
                let h = (mixed &* multipliers[i]) &+ increments[i]
                let v = h ^ (h >> 32)
                if v < signature[i] { signature[i] = v }
            }
        }
        return signature
    }

    /// Exact Jaccard similarity of two sorted distinct shingle lists.
    public static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        var i = 0, j = 0, shared = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { shared += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(shared) / Double(a.count + b.count - shared)
    }
}
