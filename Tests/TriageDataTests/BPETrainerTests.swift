import Foundation
import Testing
@testable import TriageData

/// Training a byte-level BPE, checked against Hugging Face `tokenizers` (its loader and its own BpeTrainer).
@Suite struct BPETrainerTests {
    /// The golden corpus texts (3056 varied texts; a missing fixture fails every test through `#require`).
    static let corpus: [String] = (try? TokenizerFixtures.golden("qwen-golden.jsonl").map(\.text)) ?? []
    static let specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

    @Test("training is deterministic and lays out specials, then the 256 byte symbols, then merges")
    func deterministicLayout() throws {
        try #require(Self.corpus.count > 3000)
        let trainer = BytePairTrainer(vocabularySize: 600, specialTokens: Self.specials)
        let first = try trainer.train(on: Self.corpus)
        let second = try trainer.train(on: Self.corpus)
        #expect(first.jsonData() == second.jsonData())
        #expect(first.vocabularySize == 600)
        #expect(first.model.merges.count == 600 - 3 - 256)
        #expect(first.id(of: "<|im_end|>") == 2)
        #expect(first.id(of: "!") == 3)  // the lowest alphabet code point
        #expect(first.encode("<|im_start|>hi") == [1] + first.encode("hi"))
    }

    @Test("a trained tokenizer saved and reloaded encodes identically and decodes back to the text")
    func saveReloadRoundTrip() throws {
        let tokenizer = try BytePairTrainer(vocabularySize: 800, specialTokens: Self.specials).train(on: Self.corpus)
        let reloaded = try Tokenizer(json: tokenizer.jsonData())
        for text in Self.corpus.prefix(500) {
            let ids = tokenizer.encode(text)
            #expect(reloaded.encode(text) == ids)
            #expect(try reloaded.decode(ids) == text.precomposedStringWithCanonicalMapping)
        }
    }

    @Test("a vocabulary smaller than the byte alphabet plus specials is refused")
    func tooSmall() {
        #expect(throws: TokenizerError.vocabularyTooSmall(requested: 200, minimum: 259)) {
            try BytePairTrainer(vocabularySize: 200, specialTokens: Self.specials).train(on: ["abc"])
        }
    }

    @Test("Hugging Face tokenizers loads the trained tokenizer.json, encodes like us, and its own trainer learns the same merges")
    func agreesWithHuggingFace() throws {
        let vocabularySize = 1200
        let tokenizer = try BytePairTrainer(vocabularySize: vocabularySize, specialTokens: Self.specials, minimumFrequency: 2)
            .train(on: Self.corpus)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bpe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let json = dir.appendingPathComponent("tokenizer.json"), corpus = dir.appendingPathComponent("corpus.jsonl")
        try tokenizer.write(to: json)
        let lines = try Self.corpus.map { String(decoding: try JSONEncoder().encode(["text": $0]), as: UTF8.self) }
        try (lines.joined(separator: "\n") + "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let specials = String(decoding: try JSONEncoder().encode(Self.specials), as: UTF8.self)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TokenizerFixtures.directory.appendingPathComponent("check_trained.py").path,
                             json.path, corpus.path, "\(vocabularySize)", "2", specials]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "check_trained.py failed: pip install tokenizers")

        struct Report: Decodable {
            var ids: [[Int]]
            var hf_vocab: [String: Int]
            var hf_merges: [[String]]
        }
        let report = try JSONDecoder().decode(Report.self, from: data)
        let encoder = TokenEncoder(tokenizer)
        #expect(report.ids == Self.corpus.map { encoder.encode($0).map(Int.init) })
        let ours = tokenizer.model.merges.map { [tokenizer.model.tokens[Int($0.left)]!, tokenizer.model.tokens[Int($0.right)]!] }
        #expect(report.hf_merges == ours)
        #expect(report.hf_vocab == tokenizer.model.ids.mapValues(Int.init))
    }
}
