/// An open-addressing hash table from a pair of token ids to the merge that joins them: its rank and the id of
/// the merged token.
///
/// The BPE inner loop looks up every adjacent pair; a flat table with a multiplicative hash is several times
/// faster than `Dictionary`'s seeded SipHash for this one job. Lookups are O(1) expected; the table is sized at
/// twice the number of merges (load ≤ 0.5) and never grows after construction.
struct PairRankTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int
    private static let empty = UInt64.max

    /// A table sized for `count` merges.
    init(capacity count: Int) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        keys = [UInt64](repeating: Self.empty, count: size)
        values = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    @inline(__always)
    private static func key(_ left: UInt32, _ right: UInt32) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask }

    /// Records that `left right` merges into `merged` at `rank`. A pair listed twice keeps its last rank, as
    /// Hugging Face `tokenizers` does (it collects the merges into a hash map). Returns false when the pair was
    /// already present.
    @discardableResult
    mutating func insert(left: UInt32, right: UInt32, rank: UInt32, merged: UInt32) -> Bool {
        let k = Self.key(left, right)
        var s = slot(k)
        while keys[s] != Self.empty {
            if keys[s] == k {
                values[s] = UInt64(rank) << 32 | UInt64(merged)
                return false
            }
            s = (s + 1) & mask
        }
        keys[s] = k
        values[s] = UInt64(rank) << 32 | UInt64(merged)
        return true
    }

    /// The rank and merged id for `left right`, or nil when no merge joins them.
    @inline(__always)
    func lookup(_ left: UInt32, _ right: UInt32) -> (rank: UInt32, merged: UInt32)? {
        let k = Self.key(left, right)
        var s = slot(k)
        return keys.withUnsafeBufferPointer { keys in
            while true {
                let found = keys[s]
                if found == k {
                    let v = values[s]
                    return (UInt32(truncatingIfNeeded: v >> 32), UInt32(truncatingIfNeeded: v))
                }
                if found == Self.empty { return nil }
                s = (s + 1) & mask
            }
        }
    }
}
