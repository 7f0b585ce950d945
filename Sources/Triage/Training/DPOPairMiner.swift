import Tensors
import TriageData

/// Builds DPO pairs from a model's own mistakes: each candidate record is scored by the model that DPO starts from
/// (the SFT adapter, also DPO's frozen reference), and a record gives a pair when the model calls it wrongly
/// (rejected = the label it prefers) or calls it rightly by less than `margin` nats (rejected = its runner-up);
/// chosen is always the record's true label.
///
/// Why: pairs drawn at random (`TrainingSetBuilder.dpoRows`) are mostly ones the SFT model already ranks right,
/// so their DPO loss is near its floor from the first step and the stage only sharpens decisions the model had
/// already made, its wrong ones included (issue 16). Pairs the model gets wrong or nearly wrong are the ones whose
/// gradient moves a decision. Pairs whose truth is `immediate` (the rejected label is then always less urgent: an
/// under-triage) are repeated `underTriageWeight` times — a cost-sensitive choice: missing an emergency costs more
/// than seeing a medium case early, the same trade the calibrated operating point makes.
///
/// Candidates come from a seeded shuffle of the records given (the train split: never val, on which evaluate
/// calibrates, nor test or the hand-written notes), so the pairs are deterministic for a seed and a model.
public struct DPOPairMiner: Sendable {
    /// How many candidate records are scored (all of them when fewer are given).
    public var records: Int
    /// A correct call whose log-probability lead over the runner-up label is below this (nats) still gives a pair.
    public var margin: Double
    /// How many times a pair whose true label is `immediate` is listed (1 = no weighting).
    public var underTriageWeight: Int
    /// The seed of the candidates' shuffle.
    public var seed: UInt64

    /// A miner scoring `records` candidates drawn with `seed`.
    public init(records: Int, margin: Double, underTriageWeight: Int = 1, seed: UInt64) {
        precondition(records >= 0 && margin >= 0 && underTriageWeight >= 1, "non-negative counts, a weight of at least 1")
        self.records = records
        self.margin = margin
        self.underTriageWeight = underTriageWeight
        self.seed = seed
    }

    /// What mining found: the pairs in candidate order (weighted pairs repeated in place) and how they arose.
    public struct Result: Sendable, Equatable {
        /// The preference rows, chosen = the true label, rejected = the label the model wrongly prefers or its
        /// close runner-up.
        public var rows: [DPORow]
        /// Records scored.
        public var scored: Int
        /// Records the model's argmax called wrongly.
        public var wrong: Int
        /// Records called rightly by less than `margin`.
        public var close: Int
        /// Truly immediate records called medium or delayed (included in `wrong`).
        public var underTriaged: Int
    }

    /// The candidate records: the first `records` of a seeded shuffle of `pool`.
    public func candidates(from pool: [TriageRecord]) -> [TriageRecord] {
        var order = Array(pool.indices)
        var generator = SeededGenerator(seed: seed)
        order.shuffle(using: &generator)
        return order.prefix(records).map { pool[$0] }
    }

    /// Scores the candidates drawn from `pool` with `score` (log-probabilities of each label word, in
    /// `TriageLabel.allCases` order, one array per record in the order given) and builds their pairs.
    public func mine(from pool: [TriageRecord], score: ([TriageRecord]) -> [[Double]]) -> Result {
        let picked = candidates(from: pool)
        return pairs(for: picked, scores: score(picked))
    }

    /// The pairs of `records` given each one's label scores.
    public func pairs(for records: [TriageRecord], scores: [[Double]]) -> Result {
        precondition(records.count == scores.count, "one score array per record")
        var result = Result(rows: [], scored: records.count, wrong: 0, close: 0, underTriaged: 0)
        for (record, labelScores) in zip(records, scores) {
            guard let rejected = rejectedLabel(truth: record.label, scores: labelScores, result: &result) else { continue }
            let row = DPORow(prompt: TriagePrompt.prompt(text: record.text, lang: record.lang),
                             chosen: TriagePrompt.completion(record.label),
                             rejected: TriagePrompt.completion(rejected), lang: record.lang)
            result.rows += Array(repeating: row, count: record.label == .immediate ? underTriageWeight : 1)
        }
        return result
    }

    /// The label to reject for a record with true label `truth`: the argmax when it is wrong, the runner-up when
    /// the argmax is right by less than `margin`, else nil (the model already ranks it clearly right).
    func rejectedLabel(truth: TriageLabel, scores: [Double], result: inout Result) -> TriageLabel? {
        let predicted = TriageOperatingPoint().label(scores: scores)
        if predicted != truth {
            result.wrong += 1
            if truth == .immediate { result.underTriaged += 1 }
            return predicted
        }
        let others = TriageLabel.allCases.filter { $0 != truth }
        let runnerUp = others.max { scores[$0.rank] < scores[$1.rank] }!
        guard scores[truth.rank] - scores[runnerUp.rank] < margin else { return nil }
        result.close += 1
        return runnerUp
    }
}
