import Foundation

/// A bounded memo from a pre-token's bytes to its BPE token ids, like the word cache in Hugging Face `tokenizers`.
///
/// Natural text repeats its words, so most pieces are answered here without running merges. Keys and values live
/// in two flat arenas; the index is open-addressed by an FNV-1a hash and every hit is verified byte for byte.
/// When `maxEntries` is reached the cache stops admitting new words (no eviction), which keeps memory bounded and
/// results independent of history.
struct WordCache {
    private struct Entry {
        var hash: UInt64
        var keyOffset: Int32
        var keyLength: Int32
        var valueOffset: Int32
        var valueLength: Int32
    }

    private var index: [Int32]
    private var entries: [Entry] = []
    private var keyBytes: [UInt8] = []
    private var valueIDs: [UInt32] = []
    private let mask: Int
    let maxEntries: Int
    /// Hits and misses so far; benchmarks report them.
    private(set) var hits = 0, misses = 0

    /// A cache admitting at most `maxEntries` words (pieces longer than 256 bytes are never cached).
    init(maxEntries: Int = 65_536) {
        self.maxEntries = maxEntries
        var size = 16
        while size < maxEntries * 2 { size <<= 1 }
        index = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// Appends the cached ids of `word` to `output` and returns true, or returns false on a miss.
    @inline(__always)
    mutating func lookup(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt64, appendingTo output: inout [UInt32]) -> Bool {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let e = Int(index[s])
            if e < 0 { misses += 1; return false }
            let entry = entries[e]
            if entry.hash == h && Int(entry.keyLength) == word.count {
                let same = keyBytes.withUnsafeBufferPointer { keys in
                    word.count == 0 || memcmp(keys.baseAddress! + Int(entry.keyOffset), word.baseAddress!, word.count) == 0
                }
                if same {
                    let start = Int(entry.valueOffset), length = Int(entry.valueLength)
                    if length == 1 {
                        output.append(valueIDs[start])
                    } else {
                        valueIDs.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<start + length])) }
                    }
                    hits += 1
                    return true
                }
            }
            s = (s + 1) & mask
        }
    }

    /// Remembers `ids` as the encoding of `word` unless the cache is full or the word is long.
    mutating func insert(_ word: UnsafeBufferPointer<UInt8>, hash h: UInt64, ids: ArraySlice<UInt32>) {
        guard entries.count < maxEntries, word.count <= 256 else { return }
        var s = Int(truncatingIfNeeded: h) & mask
        while index[s] >= 0 { s = (s + 1) & mask }
        index[s] = Int32(entries.count)
        entries.append(Entry(hash: h, keyOffset: Int32(keyBytes.count), keyLength: Int32(word.count),
                             valueOffset: Int32(valueIDs.count), valueLength: Int32(ids.count)))
        keyBytes.append(contentsOf: word)
        valueIDs.append(contentsOf: ids)
    }
}
