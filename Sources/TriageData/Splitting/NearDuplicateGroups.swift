/// Groups records whose texts are near-duplicates, so a split can keep each group on one side.
///
/// Each text becomes a set of word 3-gram shingles (lower-cased, punctuation dropped, digits kept); a 64-value
/// MinHash signature estimates the Jaccard similarity of two sets. Locality-sensitive hashing over 16 bands of
/// 4 values proposes candidate pairs (pairs above ~0.5 similarity collide in some band with high probability);
/// a candidate is joined to the group only when its estimated similarity reaches `threshold`. Groups are the
/// connected components (union-find), so near-duplicate chains end up together. Cost: O(n · 64) hashing plus
/// the candidates of each band bucket (capped at 64 comparisons per bucket).
public struct NearDuplicateGroups: Sendable {
    /// The group number of each record, numbered in order of first appearance.
    public let groupOf: [Int]
    /// How many groups there are.
    public let count: Int

    static let hashes = 64, bands = 16, rows = 4

    /// Groups `texts` with MinHash functions derived from `seed`; `threshold` is the estimated Jaccard similarity
    /// from which two texts are near-duplicates.
    public init(texts: [String], threshold: Double = 0.7, seed: UInt64 = 0) {
        let signatures = texts.map { Self.signature(of: $0, seed: seed) }
        var parent = Array(0..<texts.count)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for band in 0..<Self.bands {
            var buckets: [UInt64: [Int]] = [:]
            for (i, signature) in signatures.enumerated() where !signature.isEmpty {
                var key: UInt64 = UInt64(band)
                for r in 0..<Self.rows { key = SplitRandomGenerator.mix(key ^ signature[band * Self.rows + r]) }
                let members = buckets[key, default: []]
                for j in members.prefix(64) where find(i) != find(j) {
                    if Self.similarity(signature, signatures[j]) >= threshold { parent[find(i)] = find(j) }
                }
                buckets[key, default: []].append(i)
            }
        }
        var number: [Int: Int] = [:]
        var groupOf: [Int] = []
        groupOf.reserveCapacity(texts.count)
        for i in 0..<texts.count {
            let root = find(i)
            if let n = number[root] {
                groupOf.append(n)
            } else {
                number[root] = number.count
                groupOf.append(number.count - 1)
            }
        }
        self.groupOf = groupOf
        count = number.count
    }

    /// The estimated Jaccard similarity of two texts (the fraction of equal signature values).
    public static func similarity(_ a: String, _ b: String, seed: UInt64 = 0) -> Double {
        similarity(signature(of: a, seed: seed), signature(of: b, seed: seed))
    }

    static func similarity(_ a: [UInt64], _ b: [UInt64]) -> Double {
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var equal = 0
        for k in 0..<hashes where a[k] == b[k] { equal += 1 }
        return Double(equal) / Double(hashes)
    }

    /// The MinHash signature of a text's word 3-gram shingles (whole words when it has fewer than three);
    /// empty for a text without words.
    static func signature(of text: String, seed: UInt64) -> [UInt64] {
        let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }
        guard !words.isEmpty else { return [] }
        var shingles: [UInt64] = []
        let width = min(3, words.count)
        for start in 0...(words.count - width) {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            for word in words[start..<start + width] {
                for byte in word.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
                h = (h ^ 0x20) &* 0x0000_0100_0000_01B3
            }
            shingles.append(h)
        }
        var signature = [UInt64](repeating: .max, count: hashes)
        for shingle in shingles {
            for k in 0..<hashes {
                let value = SplitRandomGenerator.mix(shingle ^ SplitRandomGenerator.mix(seed &+ UInt64(k) &* 0x9E37_79B9_7F4A_7C15))
                if value < signature[k] { signature[k] = value }
            }
        }
        return signature
    }
}
