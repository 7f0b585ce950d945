import Foundation
import Testing
import TriageData

/// The tokenize stage executable, end to end in a temporary repo root.
@Suite struct TokenizeStageTests {
    @Test("the stage trains a tokenizer, writes shards whose ids decode back to every record, and a metrics file")
    func trainsAndShards() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        let records = TokenizeStageHarness.corpus()
        try harness.writeRecords(records, to: "data/anonymized/records.jsonl")
        let outcome = try harness.run("tokenize", params: #"{"tokenize": {"vocab_size": 400, "shard_tokens": 1000}}"#)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("pipe:progress {"))

        let dir = harness.root.appendingPathComponent("data/tokenized")
        let tokenizer = try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json"))
        #expect(tokenizer.vocabularySize == 400)
        #expect(tokenizer.id(of: "<|im_start|>") == 1)
        let index = try TokenShardIndex(directory: dir)
        #expect(index.shards.count > 1)
        #expect(index.records == records.count)
        #expect(index.vocabularySize == 400)
        var decoded: [String] = []
        try index.forEachRecord { decoded.append(try tokenizer.decode($0.map(Int.init))) }
        #expect(decoded == records.map(\.text))

        // A shard that no longer matches the index is refused, naming the file.
        try TokenShard().write(to: dir.appendingPathComponent(index.shards[0].file))
        #expect(throws: TokenShardError.self) { try index.shard(0) }
        let metrics = try JSONSerialization.jsonObject(with: harness.read("reports/tokenize.json")) as! [String: Any]
        #expect(metrics["records"] as? Int == records.count)
        #expect(metrics["trained"] as? Bool == true)
    }

    @Test("two runs on the same records write byte-identical outputs")
    func deterministic() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        try harness.writeRecords(TokenizeStageHarness.corpus(), to: "data/anonymized/records.jsonl")
        let params = #"{"tokenize": {"vocab_size": 350}}"#
        #expect(try harness.run("tokenize", params: params).status == 0)
        let first = try ["tokenizer.json", "shard-00000.bin", "records.jsonl", "index.json"].map { try harness.read("data/tokenized/\($0)") }
        #expect(try harness.run("tokenize", params: params).status == 0)
        let second = try ["tokenizer.json", "shard-00000.bin", "records.jsonl", "index.json"].map { try harness.read("data/tokenized/\($0)") }
        #expect(first == second)
    }

    @Test("encode prints one JSON id array per stdin line, matching the library")
    func encodeSubcommand() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        try harness.writeRecords(TokenizeStageHarness.corpus(), to: "data/anonymized/records.jsonl")
        #expect(try harness.run("tokenize", params: #"{"tokenize": {"vocab_size": 300}}"#).status == 0)
        let path = harness.root.appendingPathComponent("data/tokenized/tokenizer.json")
        let outcome = try harness.run("tokenize", arguments: ["encode", "--tokenizer", path.path], stdin: "Fièvre à 39 °C\n\nchest pain\n")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let tokenizer = try Tokenizer(contentsOf: path)
        let expected = ["Fièvre à 39 °C", "", "chest pain"].map { "[" + tokenizer.encode($0).map(String.init).joined(separator: ",") + "]" }
        #expect(outcome.stdout == expected.joined(separator: "\n") + "\n")
    }

    @Test("bad params, a missing input and a missing tokenizer file fail with the right exit code and message")
    func badInput() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        let missing = try harness.run("tokenize")
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("data/anonymized/records.jsonl"))

        try harness.writeRecords(TokenizeStageHarness.corpus(), to: "data/anonymized/records.jsonl")
        let small = try harness.run("tokenize", params: #"{"tokenize": {"vocab_size": 100}}"#)
        #expect(small.status == 2)
        #expect(small.stderr.contains("tokenize.vocab_size"))
        let typo = try harness.run("tokenize", params: #"{"tokenize": {"vocab_sise": 1000}}"#)
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("did you mean 'vocab_size'"))
        let noFile = try harness.run("tokenize", params: #"{"tokenize": {"tokenizer": "nowhere/tokenizer.json"}}"#)
        #expect(noFile.status == 2)
        #expect(noFile.stderr.contains("nowhere/tokenizer.json"))
        let usage = try harness.run("tokenize", arguments: ["encode", "--bogus"])
        #expect(usage.status == 2)
        #expect(!FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("data/tokenized").path))
    }

    @Test("a loaded tokenizer.json is used as is and copied beside the shards")
    func loadsGivenTokenizer() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        let records = TokenizeStageHarness.corpus(count: 20)
        let given = try BytePairTrainer(vocabularySize: 300, specialTokens: ["<|endoftext|>"]).train(on: records.map(\.text))
        try FileManager.default.createDirectory(at: harness.root.appendingPathComponent("models"), withIntermediateDirectories: true)
        try given.write(to: harness.root.appendingPathComponent("models/tok.json"))
        try harness.writeRecords(records, to: "data/anonymized/records.jsonl")
        let outcome = try harness.run("tokenize", params: #"{"tokenize": {"tokenizer": "models/tok.json"}}"#)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try harness.read("data/tokenized/tokenizer.json") == given.jsonData())
        let shard = try TokenShard(contentsOf: harness.root.appendingPathComponent("data/tokenized/shard-00000.bin"))
        #expect(shard[3].map(Int.init) == given.encode(records[3].text))
    }

    @Test("encode with Qwen3's real tokenizer.json prints the ids Hugging Face gives, [9707,1879] for Hello world")
    func encodeWithQwen() throws {
        let harness = try TokenizeStageHarness()
        defer { harness.cleanUp() }
        let qwen = try TokenizeStageHarness.qwenTokenizerPath()
        let outcome = try harness.run("tokenize", arguments: ["encode", "--tokenizer", qwen],
                                      stdin: "Hello world\n<|im_start|>user\nJ'ai 39 °C<|im_end|>\n")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout == "[9707,1879]\n[151644,872]\n[41,33055,220,18,24,36286,34,151645]\n")  // each stdin line on its own
    }
}
