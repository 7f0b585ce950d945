/// Locality-sensitive hashing over MinHash signatures: texts whose signatures agree on all rows of any band are
/// candidates, and a candidate counts as a near-duplicate only if its exact shingle Jaccard reaches the threshold.
///
/// With b bands of r rows, a pair of Jaccard s becomes a candidate with probability 1 − (1 − s^r)^b (20 × 6:
/// 0.998 at s = 0.8). Insert and query are O(b) expected plus the exact checks on candidates.
public struct NearDuplicateIndex {
    /// LSH bands; more bands find lower similarities (and more candidates to check).
    public let bands: Int
    /// Signature rows per band; more rows make a band match stricter.
    public let rows: Int
    /// Exact shingle Jaccard a candidate needs to count as a near-duplicate.
    public let threshold: Double
    private var buckets: [[UInt64: [Int]]]
    private var shingleSets: [[UInt64]] = []

    public init(bands: Int = 20, rows: Int = 6, threshold: Double = 0.8) {
        precondition(bands > 0 && rows > 0, "LSH needs positive bands and rows")
        self.bands = bands
        self.rows = rows
        self.threshold = threshold
        buckets = Array(repeating: [:], count: bands)
    }

    /// The earliest inserted item that is a near-duplicate of this one (and its Jaccard), or nil.
    public func match(signature: [UInt64], shingles: [UInt64]) -> (index: Int, similarity: Double)? {
        var best: (Int, Double)?
        var checked: Set<Int> = []
        for band in 0..<bands {
            guard let candidates = buckets[band][key(signature, band)] else { continue }
            for candidate in candidates where checked.insert(candidate).inserted {
                let similarity = MinHasher.jaccard(shingles, shingleSets[candidate])
                if similarity >= threshold, best == nil || candidate < best!.0 { best = (candidate, similarity) }
            }
        }
        return best
    }

    /// Adds an item; returns its index.
    @discardableResult
    public mutating func insert(signature: [UInt64], shingles: [UInt64]) -> Int {
        precondition(signature.count >= bands * rows, "signature shorter than bands × rows")
        let index = shingleSets.count
        shingleSets.append(shingles)
        for band in 0..<bands { buckets[band][key(signature, band), default: []].append(index) }
        return index
    }

    private func key(_ signature: [UInt64], _ band: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(band + 1)
        for i in (band * rows)..<((band + 1) * rows) {
            h = (h ^ signature[i]) &* 0x0000_0100_0000_01B3
            h ^= h >> 31
        }
        return h
    }
}
