import Foundation
import Testing
@testable import TriageData

/// Near-duplicate grouping, stratified splitting and the SFT/DPO sets.
@Suite struct SplitTests {
    /// `count` records over every label × language, with every 10th record a light edit of the one before.
    static func records(_ count: Int) -> [TriageRecord] {
        let words = ["pain", "fever", "cough", "rash", "fall", "dizzy", "vomiting", "headache", "swelling", "bleeding",
                     "douleur", "fièvre", "toux", "éruption", "chute", "vertiges", "nausées", "céphalées", "œdème", "saignement"]
        var generator = SplitRandomGenerator(seed: 7)
        var out: [TriageRecord] = []
        for i in 0..<count {
            let label = TriageLabel.allCases[i % 3]
            let lang: RecordLanguage = (i / 3) % 2 == 0 ? .en : .fr
            var text = (0..<14).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
            if i % 10 == 9, let previous = out.last {
                text = previous.text + " today"  // a near-duplicate of the previous record
                out.append(TriageRecord(id: "r\(i)", source: "t", lang: previous.lang, text: text, label: previous.label))
                continue
            }
            text += " case \(i)"
            out.append(TriageRecord(id: "r\(i)", source: "t", lang: lang, text: text, label: label))
        }
        return out
    }

    @Test("near-duplicates share a group and unrelated texts do not")
    func grouping() {
        let a = "Patient with chest pain radiating to the left arm since this morning and sweating"
        let b = "patient with CHEST PAIN radiating to the left arm since this morning, and sweating!"
        let c = "Twisted ankle yesterday while running, walking with a limp, moderate swelling"
        let groups = NearDuplicateGroups(texts: [a, c, b, ""], threshold: 0.7)
        #expect(groups.groupOf[0] == groups.groupOf[2])
        #expect(groups.groupOf[0] != groups.groupOf[1])
        #expect(groups.groupOf[3] != groups.groupOf[0])
        #expect(groups.count == 3)
        #expect(NearDuplicateGroups.similarity(a, b) > 0.9)
        #expect(NearDuplicateGroups.similarity(a, c) < 0.2)
    }

    @Test("every stratum is split within one group of the 80/10/10 targets and no group straddles splits")
    func stratifiedAndGrouped() {
        let records = Self.records(3000)
        let output = CorpusSplit(sftRows: 100, dpoRows: 100).run(records: records)
        #expect(output.report.straddlingGroups == 0)
        #expect(output.report.multiRecordGroups >= 250)
        for stratum in Stratum.all {
            let total = DatasetSplit.allCases.map { output.report.count($0, stratum) }.reduce(0, +)
            #expect(total >= 400)
            for (split, share) in [(DatasetSplit.train, 0.8), (.val, 0.1), (.test, 0.1)] {
                #expect(abs(Double(output.report.count(split, stratum)) - share * Double(total)) <= 2.5)
            }
        }
        let groups = NearDuplicateGroups(texts: records.map(\.text))
        var splitOfGroup: [Int: DatasetSplit] = [:]
        for split in DatasetSplit.allCases {
            for record in output.splits[split]! {
                let g = groups.groupOf[Int(record.id.dropFirst())!]
                #expect(splitOfGroup[g] == nil || splitOfGroup[g] == split)
                splitOfGroup[g] = split
            }
        }
        #expect(DatasetSplit.allCases.map { output.splits[$0]!.count }.reduce(0, +) == records.count)
    }

    @Test("the same seed gives the same split and another seed a different one")
    func seeded() {
        let records = Self.records(600)
        let ids = { (seed: UInt64) in CorpusSplit(splitter: StratifiedSplitter(seed: seed)).run(records: records).splits[.test]!.map(\.id) }
        #expect(ids(1) == ids(1))
        #expect(ids(1) != ids(2))
    }

    @Test("SFT and DPO rows come from train only, in the TriagePrompt format, rejected always wrong and under-triaged when possible")
    func trainingSets() {
        let records = Self.records(900)
        let output = CorpusSplit(sftRows: 300, dpoRows: 5000).run(records: records)
        let train = output.splits[.train]!
        let trainPrompts = Set(train.map { TriagePrompt.prompt(text: $0.text, lang: $0.lang) })
        #expect(output.sft.count == 300)
        #expect(output.dpo.count == train.count)  // fewer train records than asked: each used once
        #expect(output.report.dpoRows == train.count && output.report.dpoRequested == 5000)
        for row in output.sft {
            #expect(trainPrompts.contains(row.prompt))
            #expect(row.completion == TriagePrompt.completion(row.label))
        }
        for row in output.dpo {
            #expect(trainPrompts.contains(row.prompt))
            let chosen = TriagePrompt.parseAnswer(row.chosen)!, rejected = TriagePrompt.parseAnswer(row.rejected)!
            #expect(chosen != rejected)
            if chosen != .delayed { #expect(rejected.rank > chosen.rank) }
        }
        #expect(output.report.dpoUnderTriaged > output.dpo.count / 2)
    }

    @Test("with the findings task each record with a rationale gives a label row then a findings row without the verdict")
    func findingsRows() {
        var records = Self.records(300)
        for i in records.indices where i % 2 == 0 {
            records[i].rationale = "\(records[i].label.rawValue): SpO2 \(80 + i % 10)% < 90%"
        }
        let output = CorpusSplit(sftRows: 100, dpoRows: 10, sftFindings: true).run(records: records)
        let byPrompt = Dictionary(uniqueKeysWithValues: records.map { (TriagePrompt.prompt(text: $0.text, lang: $0.lang), $0) })
        let labelRows = output.sft.filter { !TriagePrompt.isFindingsPrompt($0.prompt) }
        let findingsRows = output.sft.filter { TriagePrompt.isFindingsPrompt($0.prompt) }
        #expect(labelRows.count == 100)
        #expect(findingsRows.count == labelRows.filter { byPrompt[$0.prompt]!.rationale != nil }.count)
        #expect(findingsRows.count > 30 && findingsRows.count < 70)
        #expect(output.report.sftRows == output.sft.count && output.report.sftFindingsRows == findingsRows.count)
        for (i, row) in output.sft.enumerated() where TriagePrompt.isFindingsPrompt(row.prompt) {
            let labelRow = output.sft[i - 1]
            let record = byPrompt[labelRow.prompt]!
            #expect(row.prompt == TriagePrompt.findingsPrompt(text: record.text, lang: record.lang))
            #expect(row.completion == "SpO2 \(record.rationale!.split(separator: " ")[2]) < 90%<|im_end|>")
            #expect(TriagePrompt.parseAnswer(row.completion) == nil)  // never the verdict
            #expect(row.label == record.label && row.lang == record.lang)
        }
        #expect(CorpusSplit(sftRows: 100, dpoRows: 10).run(records: records).sft.count == 100)
    }

    @Test("findings that quote a measured value are repeated, findings that only name the presentation are not")
    func valueFindingsRepeat() {
        var records = Self.records(60)
        for i in records.indices {
            records[i].rationale = i % 2 == 0 ? "medium: pain 8/10 ≥ 7" : "delayed: minor skin complaint; SpO2 stable"
        }
        let rows = TrainingSetBuilder(seed: 1).sftRows(from: records, count: 60, findings: true, valueRepeats: 3)
        let findings = rows.filter { TriagePrompt.isFindingsPrompt($0.prompt) }
        #expect(findings.filter { $0.completion.hasPrefix("pain 8/10") }.count == 30 * 3)
        #expect(findings.filter { $0.completion.hasPrefix("minor skin") }.count == 30)
        #expect(rows.count - findings.count == 60)
        #expect(TrainingSetBuilder.quotesValue("heart rate 173 outside 40–129") && !TrainingSetBuilder.quotesValue("SpO2 normal"))
    }

    @Test("records whose SFT example exceeds the token limit are left out and counted")
    func lengthLimit() throws {
        var records = Self.records(300)
        records[5].text = String(repeating: "très long texte ", count: 400)
        let tokenizer = try BytePairTrainer(vocabularySize: 300).train(on: records.map(\.text))
        var job = CorpusSplit(sftRows: 10, dpoRows: 10)
        job.lengthLimit = (tokenizer, 400)
        let output = job.run(records: records)
        #expect(output.report.tooLong == 1)
        #expect(!DatasetSplit.allCases.contains { output.splits[$0]!.contains { $0.id == "r5" } })
    }

    @Test("the report carries the label × language table of each split in JSON and Markdown")
    func report() {
        let report = CorpusSplit(sftRows: 10, dpoRows: 10).run(records: Self.records(300)).report
        let json = report.jsonLine.text(.jsonLines)
        #expect(json.contains(#""splits":{"train":{"records":\#(report.count(.train))"#))
        #expect(json.contains(#""straddling_splits":0"#))
        #expect(report.markdown.contains("| train | \(report.count(.train, Stratum(label: .immediate, lang: .en))) |"))
    }
}
