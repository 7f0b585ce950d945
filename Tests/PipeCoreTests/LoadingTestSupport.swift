import Foundation
import Testing
@testable import PipeCore

/// A throwaway repository in a temp directory, filled with in-memory files, removed when released.
final class TempRepo {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipe-loading-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, text) in files { try write(path, text) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func load(_ file: String = "pipeline.yaml") throws -> Pipeline {
        try PipelineLoader(repoRoot: root).load(file: file)
    }
}

/// Loads `pipeline` (plus other files) and returns the error it must fail with.
func loadError(_ pipeline: String, files: [String: String] = [:]) throws -> PipeError? {
    var all = files
    all["pipeline.yaml"] = pipeline
    let repo = try TempRepo(all)
    return #expect(throws: PipeError.self) { _ = try repo.load() }
}

/// Loads `pipeline` (plus other files) that must be valid.
func loadPipeline(_ pipeline: String, files: [String: String] = [:]) throws -> Pipeline {
    var all = files
    all["pipeline.yaml"] = pipeline
    return try TempRepo(all).load()
}

/// A stage with just a name, deps and outs, for graph tests that need no YAML.
func stage(_ name: String, deps: [String] = [], outs: [String] = []) -> Stage {
    Stage(name: name, command: .shell(["true"]), deps: deps.map { Dependency(path: $0) },
          outs: outs.map { Output(path: $0) })
}
