/// A byte-level BPE model: the vocabulary, the ranked merges, and the merge procedure of Hugging Face
/// `tokenizers`' BPE (lowest-rank adjacent pair first, leftmost on ties, until no merge applies).
///
/// Tokens are kept both as their alphabet strings (what `tokenizer.json` stores) and as raw bytes, so encoding
/// works on bytes without re-mapping every piece through `ByteLevelAlphabet`.
public struct BytePairModel: Sendable {
    /// Token strings in the byte-level alphabet, indexed by id (nil where an id is unused).
    public let tokens: [String?]
    /// Ids by alphabet string.
    public let ids: [String: UInt32]
    /// Merges in rank order, as pairs of token ids.
    public let merges: [(left: UInt32, right: UInt32)]
    /// When true a piece that is itself in the vocabulary is emitted whole, without merging (HF `ignore_merges`).
    public let ignoreMerges: Bool
    /// The unknown token's string, if the model declares one.
    public let unknownToken: String?
    /// The token id of each byte value.
    let byteIDs: [UInt32]
    let pairs: PairRankTable

    /// A model from a vocabulary and merges given as token strings; throws `invalidMerge` or `missingByteToken`
    /// naming `path` when they do not form a byte-level BPE.
    public init(vocabulary: [String: Int], merges mergeStrings: [(String, String)], ignoreMerges: Bool = false,
                unknownToken: String? = nil, path: String = "<memory>") throws {
        let maxID = vocabulary.values.max() ?? -1
        var tokens = [String?](repeating: nil, count: maxID + 1)
        var ids: [String: UInt32] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (token, id) in vocabulary {
            guard id >= 0 else { throw TokenizerError.malformed(path: path, key: "model.vocab.\(token)", reason: "negative id") }
            tokens[id] = token
            ids[token] = UInt32(id)
        }
        var pairs = PairRankTable(capacity: mergeStrings.count)
        var merges: [(left: UInt32, right: UInt32)] = []
        merges.reserveCapacity(mergeStrings.count)
        for (rank, (a, b)) in mergeStrings.enumerated() {
            guard let left = ids[a], let right = ids[b], let merged = ids[a + b] else {
                throw TokenizerError.invalidMerge(path: path, index: rank, merge: "\(a) \(b)")
            }
            pairs.insert(left: left, right: right, rank: UInt32(rank), merged: merged)
            merges.append((left, right))
        }
        let unknownID = unknownToken.flatMap { ids[$0] }
        var byteIDs = [UInt32](repeating: 0, count: 256)
        for byte in 0..<256 {
            let symbol = String(ByteLevelAlphabet.scalarForByte[byte])
            if let id = ids[symbol] {
                byteIDs[byte] = id
            } else if let unknownID {
                byteIDs[byte] = unknownID
            } else {
                throw TokenizerError.missingByteToken(path: path, byte: UInt8(byte))
            }
        }
        self.tokens = tokens
        self.ids = ids
        self.merges = merges
        self.ignoreMerges = ignoreMerges
        self.unknownToken = unknownToken
        self.byteIDs = byteIDs
        self.pairs = pairs
    }

    /// The vocabulary size (one past the largest id).
    public var vocabularySize: Int { tokens.count }

    /// Appends the BPE encoding of one pre-token's raw bytes to `output`; `scratch` is reused between calls.
    func encode(_ word: UnsafeBufferPointer<UInt8>, into output: inout [UInt32], scratch: inout [UInt32]) {
        if word.count == 1 {
            output.append(byteIDs[Int(word[0])])
            return
        }
        if ignoreMerges, let id = ids[ByteLevelAlphabet.encode(word)] {
            output.append(id)
            return
        }
        scratch.removeAll(keepingCapacity: true)
        for b in word { scratch.append(byteIDs[Int(b)]) }
        if scratch.count <= 48 {
            mergeQuadratic(&scratch)
            output.append(contentsOf: scratch)
        } else {
            mergeWithHeap(&scratch, into: &output)
        }
    }

    /// Merges by rescanning for the lowest-rank pair each round: O(n²) lookups, fastest for short pieces.
    private func mergeQuadratic(_ symbols: inout [UInt32]) {
        var n = symbols.count
        symbols.withUnsafeMutableBufferPointer { s in
            while n > 1 {
                var bestRank = UInt32.max
                var bestPosition = -1
                var bestMerged: UInt32 = 0
                for p in 0..<(n - 1) {
                    if let (rank, merged) = pairs.lookup(s[p], s[p + 1]), rank < bestRank {
                        bestRank = rank
                        bestPosition = p
                        bestMerged = merged
                    }
                }
                if bestPosition < 0 { break }
                s[bestPosition] = bestMerged
                var q = bestPosition + 1
                while q + 1 < n {
                    s[q] = s[q + 1]
                    q += 1
                }
                n -= 1
            }
        }
        symbols.removeLast(symbols.count - n)
    }

    /// Merges with a min-heap of (rank, position) candidates over a doubly linked list: O(n log n), for long
    /// pieces (CJK sentences, long runs of punctuation). Stale candidates are detected on pop and skipped.
    private func mergeWithHeap(_ symbols: inout [UInt32], into output: inout [UInt32]) {
        let n = symbols.count
        var next = Array(1...n)  // n means none
        var previous = Array(-1..<(n - 1))
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap()
        for p in 0..<(n - 1) {
            if let (rank, _) = pairs.lookup(symbols[p], symbols[p + 1]) { heap.push(UInt64(rank) << 32 | UInt64(p)) }
        }
        while let top = heap.pop() {
            let rank = UInt32(truncatingIfNeeded: top >> 32)
            let p = Int(UInt32(truncatingIfNeeded: top))
            guard alive[p] else { continue }
            let q = next[p]
            guard q < n, let (currentRank, merged) = pairs.lookup(symbols[p], symbols[q]), currentRank == rank else {
                continue
            }
            symbols[p] = merged
            alive[q] = false
            next[p] = next[q]
            if next[q] < n { previous[next[q]] = p }
            let before = previous[p]
            if before >= 0, let (r, _) = pairs.lookup(symbols[before], merged) { heap.push(UInt64(r) << 32 | UInt64(before)) }
            if next[p] < n, let (r, _) = pairs.lookup(merged, symbols[next[p]]) { heap.push(UInt64(r) << 32 | UInt64(p)) }
        }
        var p = 0
        while p < n {
            output.append(symbols[p])
            p = next[p]
        }
    }
}

/// A binary min-heap of packed (rank, position) keys, for `BytePairModel`'s long-piece merge.
struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ value: UInt64) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count && items[l] < items[smallest] { smallest = l }
            if r < items.count && items[r] < items[smallest] { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}
