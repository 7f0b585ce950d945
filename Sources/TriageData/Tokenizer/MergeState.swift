/// The working state of `BytePairTrainer`: every word as a list of symbol ids, the weighted count of every
/// adjacent pair, the words each pair occurs in, and a max-priority queue of pairs (count desc, then pair asc).
///
/// A merge touches only the words listed for its pair and updates the neighbouring pair counts by the same
/// rules as HF's `Word::merge`; queue entries whose count went stale are refreshed lazily when popped.
struct MergeState {
    /// A pair of adjacent symbol ids.
    struct Pair: Hashable, Comparable {
        var left: UInt32
        var right: UInt32
        static func < (a: Pair, b: Pair) -> Bool { (a.left, a.right) < (b.left, b.right) }
    }

    private var words: [[UInt32]]
    private let counts: [Int]
    private var pairCounts: [Pair: Int] = [:]
    private var occurrences: [Pair: Set<Int>] = [:]
    private var merged: Set<Pair> = []
    private var queue = PairQueue()

    init(words: [[UInt32]], counts: [Int]) {
        self.words = words
        self.counts = counts
        for (w, word) in words.enumerated() where word.count > 1 {
            for i in 0..<(word.count - 1) {
                let pair = Pair(left: word[i], right: word[i + 1])
                pairCounts[pair, default: 0] += counts[w]
                occurrences[pair, default: []].insert(w)
            }
        }
        for (pair, count) in pairCounts where count > 0 { queue.push(count: count, pair: pair) }
    }

    /// The pair to merge next and its current count, or nil when no pair is left.
    mutating func popBest() -> (Pair, Int)? {
        while let (count, pair) = queue.pop() {
            if merged.contains(pair) { continue }
            let current = pairCounts[pair] ?? 0
            if current != count {
                if current > 0 { queue.push(count: current, pair: pair) }
                continue
            }
            return (pair, count)
        }
        return nil
    }

    /// Replaces every occurrence of `pair` by `replacement`, left to right within each word.
    mutating func merge(_ pair: Pair, into replacement: UInt32) {
        merged.insert(pair)
        var created: Set<Pair> = []
        for w in (occurrences[pair] ?? []).sorted() {
            var word = words[w]
            let weight = counts[w]
            var i = 0
            while i < word.count {
                if word[i] == pair.left, i + 1 < word.count, word[i + 1] == pair.right {
                    if i > 0 {
                        add(Pair(left: word[i - 1], right: pair.left), -weight)
                        let new = Pair(left: word[i - 1], right: replacement)
                        add(new, weight)
                        occurrences[new, default: []].insert(w)
                        created.insert(new)
                    }
                    word[i] = replacement
                    word.remove(at: i + 1)
                    if i + 1 < word.count {
                        add(Pair(left: pair.right, right: word[i + 1]), -weight)
                        let new = Pair(left: replacement, right: word[i + 1])
                        add(new, weight)
                        occurrences[new, default: []].insert(w)
                        created.insert(new)
                    }
                }
                i += 1
            }
            words[w] = word
        }
        for new in created.sorted() {
            let count = pairCounts[new] ?? 0
            if count > 0 { queue.push(count: count, pair: new) }
        }
    }

    private mutating func add(_ pair: Pair, _ delta: Int) { pairCounts[pair, default: 0] += delta }
}

/// A binary max-heap ordered by count, then by the smaller pair: HF `BpeTrainer`'s merge order.
struct PairQueue {
    private var items: [(count: Int, pair: MergeState.Pair)] = []

    private static func before(_ a: (count: Int, pair: MergeState.Pair), _ b: (count: Int, pair: MergeState.Pair)) -> Bool {
        a.count != b.count ? a.count > b.count : a.pair < b.pair
    }

    mutating func push(count: Int, pair: MergeState.Pair) {
        items.append((count, pair))
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard Self.before(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> (Int, MergeState.Pair)? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return (last.count, last.pair) }
        let top = items[0]
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var best = i
            if l < items.count && Self.before(items[l], items[best]) { best = l }
            if r < items.count && Self.before(items[r], items[best]) { best = r }
            if best == i { break }
            items.swapAt(i, best)
            i = best
        }
        return (top.count, top.pair)
    }
}
