import Foundation
import Testing
import TriageData

/// The split stage executable, end to end in a temporary repo root.
@Suite struct SplitStageTests {
    private func prepare(_ harness: TokenizeStageHarness, count: Int = 240) throws -> [TriageRecord] {
        let records = TokenizeStageHarness.corpus(count: count)
        try harness.writeRecords(records, to: "data/anonymized/records.jsonl")
        return records
    }

    @Test("the stage writes train/val/test, SFT and DPO sets, the Markdown table and metrics, byte-identically on rerun")
    func writesEverything() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        let records = try prepare(harness)
        let params = #"{"split": {"sft_rows": 50, "dpo_rows": 40, "max_tokens": 0}}"#
        let outcome = try harness.run("split", params: params)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let files = ["train.jsonl", "val.jsonl", "test.jsonl", "sft.jsonl", "dpo.jsonl", "report.md"]
        let first = try files.map { try harness.read("data/split/\($0)") }
        let lines = { (data: Data) in String(decoding: data, as: UTF8.self).split(separator: "\n").count }
        #expect(lines(first[0]) + lines(first[1]) + lines(first[2]) == records.count)
        #expect(lines(first[3]) == 50)
        #expect(lines(first[4]) == 40)
        let sft = try JSONDecoder().decode(SFTRow.self, from: Data(String(decoding: first[3], as: UTF8.self).split(separator: "\n")[0].utf8))
        #expect(sft.prompt.hasPrefix(TriagePrompt.turnStart + "system\n"))
        let metrics = try JSONSerialization.jsonObject(with: harness.read("reports/split.json")) as! [String: Any]
        #expect((metrics["near_duplicate_groups"] as! [String: Any])["straddling_splits"] as? Int == 0)
        #expect(try harness.run("split", params: params).status == 0)
        #expect(try files.map { try harness.read("data/split/\($0)") } == first)
    }

    @Test("the token limit reads the tokenize stage's tokenizer.json")
    func usesTokenizer() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        _ = try prepare(harness)
        #expect(try harness.run("tokenize", params: #"{"tokenize": {"vocab_size": 300}}"#).status == 0)
        let outcome = try harness.run("split", params: #"{"split": {"max_tokens": 60, "sft_rows": 10, "dpo_rows": 10}}"#)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let metrics = try JSONSerialization.jsonObject(with: harness.read("reports/split.json")) as! [String: Any]
        #expect(metrics["dropped_too_long"] as! Int > 0)
    }

    @Test("bad shares, a malformed record and a missing tokenizer fail with exit 2 or 1 and say why")
    func badInput() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        _ = try prepare(harness)
        let shares = try harness.run("split", params: #"{"split": {"train": 0.9, "val": 0.2, "test": 0.1}}"#)
        #expect(shares.status == 2)
        #expect(shares.stderr.contains("must sum to 1"))
        let noTokenizer = try harness.run("split")
        #expect(noTokenizer.status == 1)
        #expect(noTokenizer.stderr.contains("tokenizer.json"))

        let url = harness.root.appendingPathComponent("data/anonymized/records.jsonl")
        var text = try String(contentsOf: url, encoding: .utf8)
        text += #"{"id": "bad", "lang": "de", "text": "x", "label": "medium", "source": "t"}"# + "\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        let malformed = try harness.run("split", params: #"{"split": {"max_tokens": 0}}"#)
        #expect(malformed.status == 1)
        #expect(malformed.stderr.contains("records.jsonl:241"))
        #expect(!FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("data/split").path))
    }
}
