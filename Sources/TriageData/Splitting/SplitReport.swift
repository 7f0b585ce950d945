import Foundation

/// What the split did: sizes, the label × language table of each split, near-duplicate grouping, and the SFT
/// and DPO set sizes. Written as the stage's metrics JSON and as a Markdown table for the README.
public struct SplitReport: Sendable, Equatable {
    /// The seed the split used.
    public var seed: UInt64
    /// Records split (after the length limit).
    public var records: Int
    /// Records left out because their SFT example exceeds the token limit.
    public var tooLong: Int
    /// Near-duplicate groups (a record with no near-duplicate is a group of one).
    public var groups: Int
    /// Groups of two or more near-duplicate records.
    public var multiRecordGroups: Int
    /// Records that belong to such groups.
    public var recordsInMultiRecordGroups: Int
    /// Groups whose records ended up in more than one split: always 0, counted so tests and readers can check.
    public var straddlingGroups: Int
    /// Records per split and stratum.
    public var table: [DatasetSplit: [Stratum: Int]]
    /// SFT rows asked for.
    public var sftRequested: Int
    /// SFT rows written (fewer when train is smaller), findings-task rows included.
    public var sftRows: Int
    /// Of those, the findings-task rows (`split.sft_findings`).
    public var sftFindingsRows: Int = 0
    /// DPO rows asked for.
    public var dpoRequested: Int
    /// DPO rows written (fewer when train is smaller).
    public var dpoRows: Int
    /// DPO rows whose rejected answer is less urgent than the chosen one (the rest are over-triaged).
    public var dpoUnderTriaged: Int

    /// The records of `split` in `stratum`.
    public func count(_ split: DatasetSplit, _ stratum: Stratum) -> Int { table[split]?[stratum] ?? 0 }

    /// The records of `split`.
    public func count(_ split: DatasetSplit) -> Int { table[split]?.values.reduce(0, +) ?? 0 }

    /// The metrics JSON object, keys in a fixed order.
    public var jsonLine: JSONLineValue {
        let splits: [(String, JSONLineValue)] = DatasetSplit.allCases.map { split in
            let labels: [(String, JSONLineValue)] = TriageLabel.allCases.map { label in
                (label.rawValue, .object(RecordLanguage.allCases.map { ($0.rawValue, .int(count(split, Stratum(label: label, lang: $0)))) }))
            }
            let share = records > 0 ? (Double(count(split)) / Double(records) * 10000).rounded() / 10000 : 0
            return (split.rawValue, .object([("records", .int(count(split))), ("share", .double(share)), ("table", .object(labels))]))
        }
        return .object([
            ("seed", .int(Int(truncatingIfNeeded: seed))), ("records", .int(records)), ("dropped_too_long", .int(tooLong)),
            ("near_duplicate_groups", .object([("groups", .int(groups)), ("multi_record_groups", .int(multiRecordGroups)),
                                               ("records_in_multi_record_groups", .int(recordsInMultiRecordGroups)),
                                               ("straddling_splits", .int(straddlingGroups))])),
            ("splits", .object(splits)),
            ("sft", .object([("requested", .int(sftRequested)), ("rows", .int(sftRows)),
                             ("findings_rows", .int(sftFindingsRows))])),
            ("dpo", .object([("requested", .int(dpoRequested)), ("rows", .int(dpoRows)),
                             ("rejected_under_triaged", .int(dpoUnderTriaged)),
                             ("rejected_over_triaged", .int(dpoRows - dpoUnderTriaged))])),
        ])
    }

    /// The label × language table of every split as Markdown.
    public var markdown: String {
        var out = "| split | " + Stratum.all.map { "\($0.label.rawValue) \($0.lang.rawValue)" }.joined(separator: " | ") + " | total |\n"
        out += "|---|" + String(repeating: "---:|", count: Stratum.all.count + 1) + "\n"
        for split in DatasetSplit.allCases {
            out += "| \(split.rawValue) | " + Stratum.all.map { String(count(split, $0)) }.joined(separator: " | ")
                + " | \(count(split)) |\n"
        }
        out += "\n\(records) records (\(tooLong) left out as too long), \(groups) near-duplicate groups (\(multiRecordGroups) with several records, "
            + "\(straddlingGroups) straddling splits); SFT \(sftRows) rows (\(sftFindingsRows) of the findings task), DPO \(dpoRows) rows "
            + "(\(dpoUnderTriaged) under-triaged, \(dpoRows - dpoUnderTriaged) over-triaged rejections).\n"
        return out
    }
}
