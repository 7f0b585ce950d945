import Foundation
import PipeBasics

/// What the engine hands a stage process: its name, the repo root, its declared params and its arguments.
///
/// Read from the environment (`PIPE_STAGE`, `PIPE_REPO_ROOT`, `PIPE_PARAMS`) so a stage run by hand, without
/// any of them, still works: the name falls back to the executable's, the root to the working directory and
/// the params to each stage's embedded defaults.
public struct StageContext: Sendable {
    /// The stage name used in messages (`PIPE_STAGE`, else the given fallback).
    public var stageName: String
    /// The absolute repository root relative paths are resolved against.
    public var repoRoot: URL
    /// The declared params as a JSON object text (`{}` when the stage is run by hand).
    public var paramsJSON: String
    /// The arguments after the executable name (from `args:` in pipeline.yaml).
    public var arguments: [String]

    public init(stageName: String, repoRoot: URL, paramsJSON: String = "{}", arguments: [String] = []) {
        self.stageName = stageName
        self.repoRoot = repoRoot.standardizedFileURL
        self.paramsJSON = paramsJSON
        self.arguments = arguments
    }

    /// The context of the running process, from its environment and command line.
    public static func current(defaultName: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> StageContext {
        let root = environment[StageEnvironment.repoRoot].flatMap { $0.isEmpty ? nil : $0 }
            ?? FileManager.default.currentDirectoryPath
        let params = environment[StageEnvironment.params].flatMap { $0.isEmpty ? nil : $0 } ?? "{}"
        let name = environment[StageEnvironment.stage].flatMap { $0.isEmpty ? nil : $0 } ?? defaultName
        return StageContext(stageName: name, repoRoot: URL(fileURLWithPath: root, isDirectory: true),
                            paramsJSON: params, arguments: arguments)
    }

    /// A path from params or arguments, resolved against the repo root unless it is absolute.
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardizedFileURL }
        return repoRoot.appendingPathComponent(path).standardizedFileURL
    }

    /// Decodes this stage's params section into `P`, or `P()` (the defaults) when the section is absent.
    public func params<P: StageParameters>(_ type: P.Type = P.self) throws -> P {
        try StageParamsDecoder.decode(P.self, fromJSON: paramsJSON)
    }
}
