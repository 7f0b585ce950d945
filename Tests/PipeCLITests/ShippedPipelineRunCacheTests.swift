import Foundation
import Testing

/// The shipped pipeline (`pipeline.yaml` of this package, every stage with `cache: false` metrics) at a tiny size,
/// run by the built `pipe` and the built stage executables.
@Suite struct ShippedPipelineRunCacheTests {
    /// The shipped pipeline's params at a tiny size (Tests/Fixtures/tiny-params.yaml), `sft.lr` = `lr`.
    func tinyParams(lr: String) -> String {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/tiny-params.yaml")
        let text = (try? String(contentsOf: fixture, encoding: .utf8)) ?? ""
        let sft = "r: 4, lr: 0.001}"
        precondition(text.contains(sft), "Tests/Fixtures/tiny-params.yaml lost its sft line")
        return text.replacingOccurrences(of: sft, with: "r: 4, lr: \(lr)}")
    }

    /// This package's root, where the shipped pipeline lives.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Writes the shipped pipeline into `repo`: its `pipeline.yaml`, the files it reads that no stage makes (the
    /// hand-written evaluation notes) and the tiny params with `sft.lr` = `lr`.
    static func writeShippedPipeline(into repo: Repo, lr: String = "0.001") throws {
        for path in ["pipeline.yaml", "data/handwritten/notes.jsonl"] {
            try repo.write(path, try String(contentsOf: packageRoot.appendingPathComponent(path), encoding: .utf8))
        }
        try repo.write("params.yaml", ShippedPipelineRunCacheTests().tinyParams(lr: lr))
    }

    /// Every metrics and plots file the shipped pipeline declares `cache: false`, with its bytes.
    func uncachedOutputs(_ repo: Repo) -> [String: Data] {
        let paths = ["normalize", "clean", "anonymize", "tokenize", "split", "pretrain", "sft", "dpo", "merge",
                     "evaluate", "evaluate_latency"].map { "reports/\($0).json" }
            + ["pretrain_loss", "sft_loss", "sft_val_loss", "dpo_loss"].map { "reports/\($0).csv" }
        var result: [String: Data] = [:]
        for path in paths { result[path] = repo.data(path) }
        return result
    }

    static let stages = ["download", "normalize", "clean", "anonymize", "tokenize", "split", "pretrain", "sft", "dpo",
                         "merge", "evaluate"]

    @Test("shipped pipeline: change sft.lr, repro, change it back, repro — no stage runs and every metrics file is byte-identical")
    func returningToAnEarlierTrainingParamRestoresEverything() throws {
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try Self.writeShippedPipeline(into: repo)

        let first = try repo.pipe("repro", "-j", "1")
        #expect(first.status == 0, "\(first.all)")
        for stage in Self.stages { #expect(first.stdout.contains("Running '\(stage)' because:"), "\(stage): \(first.stdout)") }
        let metrics = uncachedOutputs(repo)
        #expect(metrics.count == 15, "missing: \(metrics.keys.sorted())")

        try repo.write("params.yaml", tinyParams(lr: "0.002"))
        let changed = try repo.pipe("repro", "-j", "1")
        #expect(changed.status == 0, "\(changed.all)")
        let reran = Self.stages.filter { changed.stdout.contains("Running '\($0)' because:") }
        #expect(reran == ["sft", "dpo", "merge", "evaluate"], "\(changed.stdout)")

        try repo.write("params.yaml", tinyParams(lr: "0.001"))
        let back = try repo.pipe("repro", "-j", "1")
        #expect(back.status == 0)
        #expect(back.stdout == """
        'download' is up to date
        'normalize' is up to date
        'clean' is up to date
        'anonymize' is up to date
        'tokenize' is up to date
        'split' is up to date
        'pretrain' is up to date
        'sft': restored from the run cache (this exact run happened before), because:
            param sft.lr 0.002 → 0.001
        'dpo': restored from the run cache (this exact run happened before), because:
            dep models/sft_adapter changed
        'merge': restored from the run cache (this exact run happened before), because:
            dep models/dpo_adapter changed
        'evaluate': restored from the run cache (this exact run happened before), because:
            dep models/dpo_adapter changed
            dep models/merged changed
            dep models/sft_adapter changed
            dep reports/dpo_loss.csv changed
            dep reports/sft_loss.csv changed
            dep reports/sft_val_loss.csv changed

        """)
        #expect(back.stderr == "")
        #expect(uncachedOutputs(repo) == metrics)
        #expect(try repo.pipe("status", "--check").status == 0)
    }
}
