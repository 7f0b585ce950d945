/// Assigns records to train / val / test, stratified by label × language, with near-duplicate groups kept whole.
///
/// Each near-duplicate group (`NearDuplicateGroups`) belongs to the stratum most of its records are in (ties: the
/// stratum of its first record). Within a stratum the groups are shuffled with a generator seeded by the split
/// seed and the stratum, then dealt one by one to the split furthest below its target share of that stratum's
/// records (ties: train, val, test). Every stratum thus lands within one group of its target proportions, and no
/// group ever straddles two splits. Deterministic for a seed; O(n) after grouping.
public struct StratifiedSplitter: Sendable {
    /// Target shares of train, val and test; they sum to 1.
    public var fractions: [DatasetSplit: Double]
    /// The seed of every shuffle.
    public var seed: UInt64

    /// A splitter with target shares `fractions` and `seed`.
    public init(fractions: [DatasetSplit: Double] = [.train: 0.8, .val: 0.1, .test: 0.1], seed: UInt64 = 42) {
        self.fractions = fractions
        self.seed = seed
    }

    /// The split of each record, given its group number.
    public func assign(records: [TriageRecord], groupOf: [Int]) -> [DatasetSplit] {
        precondition(records.count == groupOf.count, "one group number per record")
        // Members of each group, in input order.
        var members: [[Int]] = []
        for (i, g) in groupOf.enumerated() {
            while members.count <= g { members.append([]) }
            members[g].append(i)
        }
        // Groups of each stratum, in order of first appearance.
        var groupsOf: [Stratum: [Int]] = [:]
        for (g, indices) in members.enumerated() where !indices.isEmpty {
            groupsOf[Self.stratum(of: indices.map { records[$0] }), default: []].append(g)
        }
        var assignment = [DatasetSplit](repeating: .train, count: records.count)
        for (s, stratum) in Stratum.all.enumerated() {
            guard var groups = groupsOf[stratum] else { continue }
            var generator = SplitRandomGenerator(seed: seed, stream: UInt64(s + 1))
            generator.shuffle(&groups)
            var assigned: [DatasetSplit: Int] = [:]
            var total = 0
            for g in groups {
                let size = members[g].count
                total += size
                let target = DatasetSplit.allCases.max { a, b in
                    let da = (fractions[a] ?? 0) * Double(total) - Double(assigned[a] ?? 0)
                    let db = (fractions[b] ?? 0) * Double(total) - Double(assigned[b] ?? 0)
                    // `max` keeps the last of equal elements; compare so the earlier split wins ties.
                    return da < db || (da == db && a.order > b.order)
                }!
                assigned[target, default: 0] += size
                for i in members[g] { assignment[i] = target }
            }
        }
        return assignment
    }

    /// The majority stratum of a group's records; ties go to the stratum seen first.
    static func stratum(of records: [TriageRecord]) -> Stratum {
        var counts: [Stratum: Int] = [:]
        var order: [Stratum] = []
        for record in records {
            let s = Stratum(label: record.label, lang: record.lang)
            if counts[s] == nil { order.append(s) }
            counts[s, default: 0] += 1
        }
        return order.max { counts[$0]! < counts[$1]! || (counts[$0]! == counts[$1]! && order.firstIndex(of: $0)! > order.firstIndex(of: $1)!) }!
    }
}

extension DatasetSplit {
    /// train 0, val 1, test 2.
    var order: Int { DatasetSplit.allCases.firstIndex(of: self)! }
}
