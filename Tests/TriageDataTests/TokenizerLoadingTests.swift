import Foundation
import Testing
@testable import TriageData
import PipeBasics

/// Loading tokenizer.json files: both merge spellings, and every way a file can be wrong.
@Suite struct TokenizerLoadingTests {
    /// A tiny byte-level BPE with merges `h e`, `he l`, `hel l`, `hell o`, written in the given merge spelling.
    private func tinyJSON(pairMerges: Bool, extra: String = "", pre: String? = nil) -> Data {
        var vocab = (0..<256).map { "\(JSONString.quote(String(ByteLevelAlphabet.scalarForByte[$0]))): \($0)" }
        let words = ["he", "hel", "hell", "hello"]
        for (i, w) in words.enumerated() { vocab.append("\"\(w)\": \(256 + i)") }
        let merges = [("h", "e"), ("he", "l"), ("hel", "l"), ("hell", "o")]
            .map { pairMerges ? "[\"\($0.0)\", \"\($0.1)\"]" : "\"\($0.0) \($0.1)\"" }
        let preTokenizer = pre ?? #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#
        return Data("""
        {"added_tokens": [{"id": 260, "content": "<eos>", "special": true}], "normalizer": null,
         "pre_tokenizer": \(preTokenizer), "decoder": {"type": "ByteLevel"} \(extra),
         "model": {"type": "BPE", "vocab": {\(vocab.joined(separator: ","))}, "merges": [\(merges.joined(separator: ","))]}}
        """.utf8)
    }

    @Test("merges load in both the 'a b' string and the [a, b] pair spelling, with the same result")
    func bothMergeSpellings() throws {
        let strings = try Tokenizer(json: tinyJSON(pairMerges: false))
        let pairs = try Tokenizer(json: tinyJSON(pairMerges: true))
        #expect(strings.encode("hello hello<eos>") == [259, 32, 259, 260])
        #expect(pairs.encode("hello hello<eos>") == strings.encode("hello hello<eos>"))
    }

    @Test("a missing file is unreadable, named by its path")
    func missingFile() {
        #expect(throws: TokenizerError.self) { try Tokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json")) }
        do {
            _ = try Tokenizer(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.json"))
        } catch let error as TokenizerError {
            #expect(error.code == "tokenizer.unreadable")
            #expect(error.description.contains("/nonexistent/tokenizer.json"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("malformed JSON and a missing model are reported with the key at fault")
    func malformed() {
        #expect(throws: TokenizerError.self) { try Tokenizer(json: Data("{not json".utf8), path: "t.json") }
        do {
            _ = try Tokenizer(json: Data(#"{"added_tokens": []}"#.utf8), path: "t.json")
            Issue.record("a file without a model loaded")
        } catch let error as TokenizerError {
            #expect(error == .malformed(path: "t.json", key: "model", reason: "required key is missing"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test("a merge whose tokens are not in the vocabulary is refused with its index")
    func invalidMerge() {
        let bad = String(decoding: tinyJSON(pairMerges: false), as: UTF8.self).replacingOccurrences(of: "\"hell o\"", with: "\"hell zz\"")
        #expect(throws: TokenizerError.invalidMerge(path: "t.json", index: 3, merge: "hell zz")) {
            try Tokenizer(json: Data(bad.utf8), path: "t.json")
        }
    }

    @Test("components outside byte-level BPE are refused by name rather than silently mis-encoding")
    func unsupportedComponents() {
        #expect(throws: TokenizerError.unsupported(path: "t.json", key: "post_processor.type", value: "TemplateProcessing")) {
            try Tokenizer(json: tinyJSON(pairMerges: true, extra: #", "post_processor": {"type": "TemplateProcessing"}"#), path: "t.json")
        }
        #expect(throws: TokenizerError.unsupported(path: "t.json", key: "pre_tokenizer.type", value: "Metaspace")) {
            try Tokenizer(json: tinyJSON(pairMerges: true, pre: #"{"type": "Metaspace"}"#), path: "t.json")
        }
    }

    @Test("a tokenizer saved and loaded again writes the same bytes")
    func saveIsStable() throws {
        let tokenizer = try Tokenizer(json: tinyJSON(pairMerges: false))
        let again = try Tokenizer(json: tokenizer.jsonData())
        #expect(again.jsonData() == tokenizer.jsonData())
        #expect(again.encode(" hello") == tokenizer.encode(" hello"))
    }

    @Test("writing replaces the file whole and leaves no temporary file; a path under a file is a typed error")
    func atomicWrite() throws {
        let tokenizer = try Tokenizer(json: tinyJSON(pairMerges: false))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tokenizer.json")
        try Data("old".utf8).write(to: url)
        try tokenizer.write(to: url)
        #expect(try Data(contentsOf: url) == tokenizer.jsonData())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["tokenizer.json"])
        try Data("a file, not a directory".utf8).write(to: dir.appendingPathComponent("no"))
        let missing = dir.appendingPathComponent("no/such/dir/tokenizer.json")
        do {
            try tokenizer.write(to: missing)
            Issue.record("wrote under a file")
        } catch let error as TokenizerError {
            #expect(error.code == "tokenizer.unwritable")
            #expect(error.description.contains("no/such/dir"))
        }
    }

    @Test("a merge listed twice takes its last rank, as Hugging Face tokenizers does")
    func duplicateMergeLastRankWins() throws {
        var vocab = (0..<256).map { "\(JSONString.quote(String(ByteLevelAlphabet.scalarForByte[$0]))): \($0)" }
        vocab += [#""ab": 256"#, #""bc": 257"#, #""abc": 258"#]
        func tokenizer(_ merges: String) throws -> Tokenizer {
            try Tokenizer(json: Data("""
            {"pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "model": {"type": "BPE", "vocab": {\(vocab.joined(separator: ","))}, "merges": [\(merges)]}}
            """.utf8))
        }
        // Checked with tokenizers 0.23.3: without the repeat "abc" is a|bc, with it b c ranks after a b: abc.
        #expect(try tokenizer(#"["b", "c"], ["a", "b"], ["ab", "c"]"#).encode("abc") == [97, 257])
        #expect(try tokenizer(#"["b", "c"], ["a", "b"], ["b", "c"], ["ab", "c"]"#).encode("abc") == [258])
    }
}

/// Small tokenizers built by Hugging Face `tokenizers` (scripts `Tests/Fixtures/tokenizer/make_*_golden.py`),
/// each exercising one part beyond Qwen's: added-token flags, the GPT-2 ByteLevel regex with a prefix space, and
/// the regex fallback; every id checked against HF's.
@Suite struct TokenizerGoldenTests {
    @Test("lstrip, rstrip, single_word, normalized and special added tokens match exactly where HF matches them")
    func addedTokensGolden() throws {
        let tokenizer = try Tokenizer(contentsOf: TokenizerFixtures.directory.appendingPathComponent("added-tokens-tokenizer.json"))
        let lines = try TokenizerFixtures.golden("added-tokens-golden.jsonl")
        #expect(lines.count == 22)
        for line in lines {
            #expect(tokenizer.encode(line.text) == line.ids, "\(line.text.debugDescription)")
        }
    }

    @Test("a GPT-2-style tokenizer (ByteLevel with its own regex and add_prefix_space) encodes 600 texts as HF does")
    func gpt2StyleGolden() throws {
        let tokenizer = try Tokenizer(contentsOf: TokenizerFixtures.directory.appendingPathComponent("gpt2-style-tokenizer.json"))
        #expect(tokenizer.preTokenizer.isByteLevelRegex && tokenizer.preTokenizer.addPrefixSpace)
        let lines = try TokenizerFixtures.golden("gpt2-style-golden.jsonl")
        #expect(lines.count == 600)
        var mismatches = 0
        for line in lines where tokenizer.encode(line.text) != line.ids {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(line.text.debugDescription): got \(tokenizer.encode(line.text)), want \(line.ids)") }
        }
        #expect(mismatches == 0)
    }

    @Test("a Split pattern without a hand-written scanner (Llama 3's) runs through the regex fallback and matches HF")
    func regexFallbackGolden() throws {
        let tokenizer = try Tokenizer(contentsOf: TokenizerFixtures.directory.appendingPathComponent("llama3-pattern-tokenizer.json"))
        #expect(tokenizer.preTokenizer.regex != nil)
        let lines = try TokenizerFixtures.golden("llama3-pattern-golden.jsonl")
        #expect(lines.count == 600)
        var mismatches = 0
        for line in lines where tokenizer.encode(line.text) != line.ids {
            mismatches += 1
            if mismatches <= 5 { Issue.record("\(line.text.debugDescription): got \(tokenizer.encode(line.text)), want \(line.ids)") }
        }
        #expect(mismatches == 0)
    }
}
