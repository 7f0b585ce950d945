/// The split stage's work, independent of how the stage is launched: group near-duplicates, split stratified,
/// build the SFT and DPO sets from train, and count everything for the report.
public struct CorpusSplit: Sendable {
    /// The stratified assignment (fractions and seed).
    public var splitter: StratifiedSplitter
    /// Estimated Jaccard similarity from which two texts are near-duplicates.
    public var nearDuplicateThreshold: Double
    /// SFT rows wanted.
    public var sftRows: Int
    /// DPO rows wanted.
    public var dpoRows: Int
    /// Whether the SFT set also teaches the findings task (`TrainingSetBuilder.sftRows`).
    public var sftFindings: Bool
    /// How many times a findings row that quotes a measured value is written (`TrainingSetBuilder.sftRows`).
    public var sftFindingsValueRepeats: Int
    /// When set, records whose full SFT example (prompt + completion) exceeds `maxTokens` with `tokenizer` are left
    /// out of every split, so no training example is truncated; the report counts them.
    public var lengthLimit: (tokenizer: Tokenizer, maxTokens: Int)?

    /// A split with the stage's defaults: 80/10/10, seed 42, threshold 0.7, 5,000 SFT and 5,000 DPO rows.
    public init(splitter: StratifiedSplitter = StratifiedSplitter(), nearDuplicateThreshold: Double = 0.7,
                sftRows: Int = 5000, dpoRows: Int = 5000, sftFindings: Bool = false,
                sftFindingsValueRepeats: Int = 1) {
        self.splitter = splitter
        self.nearDuplicateThreshold = nearDuplicateThreshold
        self.sftRows = sftRows
        self.dpoRows = dpoRows
        self.sftFindings = sftFindings
        self.sftFindingsValueRepeats = sftFindingsValueRepeats
    }

    /// Everything the stage writes.
    public struct Output: Sendable {
        /// The records of each split, in input order.
        public var splits: [DatasetSplit: [TriageRecord]]
        /// SFT rows drawn from train.
        public var sft: [SFTRow]
        /// DPO rows drawn from train.
        public var dpo: [DPORow]
        /// The counts and tables for the metrics file.
        public var report: SplitReport
    }

    /// Splits `records`.
    public func run(records all: [TriageRecord]) -> Output {
        var records = all
        if let (tokenizer, maxTokens) = lengthLimit {
            let encoder = TokenEncoder(tokenizer)
            records = all.filter { r in
                encoder.encode(TriagePrompt.prompt(text: r.text, lang: r.lang) + TriagePrompt.completion(r.label)).count <= maxTokens
            }
        }
        let groups = NearDuplicateGroups(texts: records.map(\.text), threshold: nearDuplicateThreshold, seed: splitter.seed)
        let assignment = splitter.assign(records: records, groupOf: groups.groupOf)
        var splits: [DatasetSplit: [TriageRecord]] = [.train: [], .val: [], .test: []]
        for (record, split) in zip(records, assignment) { splits[split]!.append(record) }
        let builder = TrainingSetBuilder(seed: splitter.seed)
        let sft = builder.sftRows(from: splits[.train]!, count: sftRows, findings: sftFindings,
                                     valueRepeats: sftFindingsValueRepeats)
        let dpo = builder.dpoRows(from: splits[.train]!, count: dpoRows)

        var groupSizes = [Int](repeating: 0, count: groups.count)
        var groupSplits = [Set<DatasetSplit>](repeating: [], count: groups.count)
        for (i, g) in groups.groupOf.enumerated() {
            groupSizes[g] += 1
            groupSplits[g].insert(assignment[i])
        }
        var table: [DatasetSplit: [Stratum: Int]] = [:]
        for (record, split) in zip(records, assignment) {
            table[split, default: [:]][Stratum(label: record.label, lang: record.lang), default: 0] += 1
        }
        let underTriaged = dpo.filter { row in
            guard let chosen = TriagePrompt.parseAnswer(row.chosen), let rejected = TriagePrompt.parseAnswer(row.rejected) else { return false }
            return rejected.rank > chosen.rank
        }.count
        let report = SplitReport(
            seed: splitter.seed, records: records.count, tooLong: all.count - records.count, groups: groups.count,
            multiRecordGroups: groupSizes.filter { $0 > 1 }.count,
            recordsInMultiRecordGroups: groupSizes.filter { $0 > 1 }.reduce(0, +),
            straddlingGroups: groupSplits.filter { $0.count > 1 }.count,
            table: table, sftRequested: sftRows, sftRows: sft.count,
            sftFindingsRows: sft.filter { TriagePrompt.isFindingsPrompt($0.prompt) }.count, dpoRequested: dpoRows, dpoRows: dpo.count,
            dpoUnderTriaged: underTriaged)
        return Output(splits: splits, sft: sft, dpo: dpo, report: report)
    }
}
