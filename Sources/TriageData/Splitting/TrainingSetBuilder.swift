/// Builds the supervised (SFT) and preference (DPO) sets from the train split, with `TriagePrompt`'s format.
///
/// Rows come from a seeded shuffle of the train records (one stream for SFT, another for DPO), so the sets are
/// deterministic and never draw on val or test. When the train split holds fewer records than requested, every
/// record is used once and the shortfall is reported rather than padded with repeats.
public struct TrainingSetBuilder: Sendable {
    /// The seed of both shuffles.
    public var seed: UInt64

    /// A builder drawing with `seed`.
    public init(seed: UInt64) { self.seed = seed }

    /// SFT rows for up to `count` records: the prompt for the record's text and the completion naming its label;
    /// with `findings`, each record with a rationale also gives a findings-task row right after its label row
    /// (`TriagePrompt.findingsPrompt`, completion: the rationale's findings, never its verdict), written
    /// `valueRepeats` times when the findings quote a measured value (a word starting with a digit: `86%`, `8/10`).
    ///
    /// Why repeat those: a value decides only a few percent of the cases each (SpO2 < 90 %, heart rate ≥ 130, …),
    /// and a small model learns to read a number only after many sightings; repeating them in the findings task
    /// raises those sightings without changing how often each label is seen in the label task.
    public func sftRows(from train: [TriageRecord], count: Int, findings: Bool = false, valueRepeats: Int = 1) -> [SFTRow] {
        var order = Array(train.indices)
        var generator = SplitRandomGenerator(seed: seed, stream: 101)
        generator.shuffle(&order)
        return order.prefix(count).flatMap { i -> [SFTRow] in
            let r = train[i]
            let labelRow = SFTRow(prompt: TriagePrompt.prompt(text: r.text, lang: r.lang),
                                  completion: TriagePrompt.completion(r.label), lang: r.lang, label: r.label)
            guard findings, let stated = r.rationale.map({ TriageRationale($0).findings }), !stated.isEmpty else {
                return [labelRow]
            }
            let findingsRow = SFTRow(prompt: TriagePrompt.findingsPrompt(text: r.text, lang: r.lang),
                                     completion: TriagePrompt.findingsCompletion(stated), lang: r.lang, label: r.label)
            return [labelRow] + Array(repeating: findingsRow, count: Self.quotesValue(stated) ? max(1, valueRepeats) : 1)
        }
    }

    /// Up to `count` DPO rows: chosen names the record's label, rejected a wrong one, under-triaged whenever a
    /// less urgent label exists (immediate → medium or delayed, medium → delayed) and otherwise over-triaged
    /// (delayed → immediate or medium), picked by the seeded generator.
    public func dpoRows(from train: [TriageRecord], count: Int) -> [DPORow] {
        var order = Array(train.indices)
        var generator = SplitRandomGenerator(seed: seed, stream: 202)
        generator.shuffle(&order)
        return order.prefix(count).map { i in
            let r = train[i]
            let wrong = Self.rejectedLabel(for: r.label, using: &generator)
            return DPORow(prompt: TriagePrompt.prompt(text: r.text, lang: r.lang), chosen: TriagePrompt.completion(r.label),
                          rejected: TriagePrompt.completion(wrong), lang: r.lang)
        }
    }

    /// Whether `findings` quote a measured value: a word that starts with a digit (`86%`, `173`, `8/10`), not
    /// one that merely contains one (`SpO2`).
    static func quotesValue(_ findings: String) -> Bool {
        findings.split(separator: " ").contains { $0.first?.isNumber == true }
    }

    /// A wrong label for `label`: a less urgent one when there is one, else a more urgent one.
    static func rejectedLabel(for label: TriageLabel, using generator: inout SplitRandomGenerator) -> TriageLabel {
        let under = TriageLabel.allCases.filter { $0.rank > label.rank }
        let candidates = under.isEmpty ? TriageLabel.allCases.filter { $0 != label } : under
        return candidates[Int(generator.next() % UInt64(candidates.count))]
    }
}
