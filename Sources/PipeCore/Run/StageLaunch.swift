import Foundation
import PipeBasics

/// Turns a stage into the commands to spawn and the environment StageKit reads (design §6).
public struct StageLaunch: Sendable {
    /// Where plugin executables are looked up: `PIPE_PLUGIN_DIR`, else the directory holding the running `pipe`.
    public let pluginDirectory: URL

    public init(pluginDirectory: URL? = nil) {
        if let explicit = pluginDirectory {
            self.pluginDirectory = explicit
        } else if let env = ProcessInfo.processInfo.environment[StageEnvironment.pluginDirectory], !env.isEmpty {
            self.pluginDirectory = URL(fileURLWithPath: env)
        } else {
            self.pluginDirectory = StageLaunch.executableDirectory()
        }
    }

    static func executableDirectory() -> URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent()
    }

    /// One argv per command to run in order: each `cmd` line through `/bin/sh -c`, or the plugin by absolute path.
    public func commands(for stage: Stage) throws -> [[String]] {
        switch stage.command {
        case let .shell(lines):
            return lines.map { ["/bin/sh", "-c", $0] }
        case let .plugin(name, args):
            let exe = pluginDirectory.appendingPathComponent(name)
            guard FileManager.default.isExecutableFile(atPath: exe.path) else {
                throw PipeError(.stageFailed, "plugin '\(name)' of stage '\(stage.name)' is not built: no executable at \(exe.path)",
                                fix: "build it with `swift build -c release --product \(name)` (or set PIPE_PLUGIN_DIR)",
                                location: stage.location)
            }
            return [[exe.path] + args]
        }
    }

    /// The variables a stage reads, added to its environment by any executor: `PIPE_STAGE`, `PIPE_REPO_ROOT` and
    /// `PIPE_PARAMS` (the declared params only, nested as in their file).
    public func variables(for stage: Stage, pipeline: Pipeline, repoRoot: URL) -> [String: String] {
        [StageEnvironment.stage: stage.name, StageEnvironment.repoRoot: repoRoot.path,
         StageEnvironment.params: Self.paramsTree(pipeline.paramValues(for: stage)).jsonText]
    }

    /// The job an executor runs for `stage` of `workspace`: its commands, variables, wdir and resources.
    public func job(for stage: Stage, pipeline: Pipeline, workspace: Workspace) throws -> StageJob {
        StageJob(stage: stage.name, commands: try commands(for: stage),
                 variables: variables(for: stage, pipeline: pipeline, repoRoot: workspace.root), repoRoot: workspace.root,
                 workingDirectory: workspace.url(stage.wdir), resources: stage.resources,
                 resourceSettings: stage.resourceSettings)
    }

    /// Declared dotted keys folded back into one nested object, files merged in name order.
    static func paramsTree(_ values: [String: [(String, ParamValue)]]) -> ParamValue {
        var root: ParamValue = .dict([])
        for file in values.keys.sorted() {
            for (key, value) in values[file]! {
                insert(value, at: key.split(separator: ".").map(String.init)[...], into: &root)
            }
        }
        return root
    }

    private static func insert(_ value: ParamValue, at path: ArraySlice<String>, into node: inout ParamValue) {
        guard let head = path.first else { node = value; return }
        var entries: [(String, ParamValue)] = []
        if case let .dict(existing) = node { entries = existing }
        if let i = entries.firstIndex(where: { $0.0 == head }) {
            insert(value, at: path.dropFirst(), into: &entries[i].1)
        } else {
            var child: ParamValue = .dict([])
            insert(value, at: path.dropFirst(), into: &child)
            entries.append((head, child))
        }
        node = .dict(entries)
    }
}
