import Foundation
import PipeBasics

/// Builds one `Stage` from its resolved (already interpolated) definition in pipeline.yaml.
///
/// It checks each key and value type, resolves every path against the stage's `wdir` and normalises it to the
/// repository root, and sorts deps, params and outs so two definitions differing only in list order give equal
/// stages (and so byte-identical lock entries).
struct StageParser {
    /// Keys a stage definition may hold (after `foreach`/`matrix` expansion).
    static let stageKeys = ["cmd", "plugin", "args", "wdir", "deps", "params", "outs", "metrics", "plots",
                            "frozen", "always_changed", "desc", "meta", "vars", "resources", "executor"]
    /// Keys an output's flags mapping may hold (`x`, `y`, … are DVC plot display options, accepted for plots).
    static let outputFlagKeys = ["cache", "persist", "desc", "remote", "push"]
    static let plotFlagKeys = outputFlagKeys + ["x", "y", "template", "title", "x_label", "y_label", "header"]

    /// Repo-relative directory of the pipeline file; `wdir` is relative to it.
    let pipelineDirectory: String
    /// Repo-relative path of the pipeline file, for messages.
    let file: String

    /// Checks that `node` is a mapping whose keys are all in `allowed`, suggesting the closest key otherwise.
    static func checkKeys(_ node: SourceNode, allowed: [String], keyPath: String, what: String) throws -> [SourceEntry] {
        guard let entries = node.entries else {
            throw PipeError(.invalidValue, "\(what) must be a mapping, not \(node.typeName)",
                            fix: "write its fields as 'key: value' lines", location: node.location, keyPath: keyPath)
        }
        for entry in entries where !allowed.contains(entry.key) {
            var fix = "remove it; allowed keys are: " + allowed.joined(separator: ", ")
            if let guess = DidYouMean.closest(to: entry.key, in: allowed) { fix = "did you mean '\(guess)'? " + fix }
            throw PipeError(.unknownKey, "unknown key '\(entry.key)' in \(what)", fix: fix,
                            location: entry.keyLocation, keyPath: keyPath.isEmpty ? entry.key : "\(keyPath).\(entry.key)")
        }
        return entries
    }

    /// Parses the resolved definition `node` of the stage `name`.
    ///
    /// `interpolated` lists the params-file values the definition's `${...}` read; they become params of the
    /// stage as in DVC (their keys exist: they were just read).
    func parse(name: String, node: SourceNode, keyPath: String, location: SourceLocation,
               params paramsLoader: inout ParamsLoader, interpolated: [ParamReference] = []) throws -> Stage {
        let entries = try Self.checkKeys(node, allowed: Self.stageKeys, keyPath: keyPath, what: "stage '\(name)'")
        func field(_ key: String) -> SourceNode? { entries.first { $0.key == key }?.value }
        func path(_ key: String) -> String { "\(keyPath).\(key)" }

        var wdir = pipelineDirectory
        if let node = field("wdir") {
            wdir = try RepoPath.resolve(try text(node, keyPath: path("wdir")), in: pipelineDirectory,
                                        location: node.location, keyPath: path("wdir"))
        }
        let command = try parseCommand(cmd: field("cmd"), plugin: field("plugin"), args: field("args"),
                                       stageName: name, keyPath: keyPath, location: location)

        var deps: [Dependency] = []
        var seenDeps = Set<String>()
        for (i, item) in try list(field("deps"), keyPath: path("deps")).enumerated() {
            let p = "\(path("deps"))[\(i)]"
            let resolved = try RepoPath.resolve(try text(item, keyPath: p), in: wdir, location: item.location, keyPath: p)
            if seenDeps.insert(resolved).inserted { deps.append(Dependency(path: resolved, location: item.location)) }
        }
        deps.sort { $0.path < $1.path }

        var params: [ParamReference] = []
        var seenParams = Set<ParamReference>()
        for (i, item) in try list(field("params"), keyPath: path("params")).enumerated() {
            let itemPath = "\(path("params"))[\(i)]"
            for (ref, fileLocation) in try parseParam(item, wdir: wdir, keyPath: itemPath) where seenParams.insert(ref).inserted {
                let root = try paramsLoader.load(ref.file, declaredAt: fileLocation, keyPath: itemPath)
                if let key = ref.key, root.value(at: key) == nil {
                    throw PipelineLoader.missingParam(key: key, file: ref.file, root: root, stage: name,
                                                      location: ref.location, keyPath: itemPath)
                }
                params.append(ref)
            }
        }
        let explicit = params
        for ref in interpolated where !explicit.contains(where: { $0.covers(ref) }) && seenParams.insert(ref).inserted {
            _ = try paramsLoader.load(ref.file, declaredAt: ref.location, keyPath: keyPath)
            params.append(ref)
        }
        params.sort { ($0.file, $0.key ?? "") < ($1.file, $1.key ?? "") }

        var outs: [Output] = []
        for (key, kind) in [("outs", Output.Kind.out), ("metrics", .metric), ("plots", .plot)] {
            for (i, item) in try list(field(key), keyPath: path(key)).enumerated() {
                let out = try parseOutput(item, kind: kind, wdir: wdir, keyPath: "\(path(key))[\(i)]")
                if let twin = outs.first(where: { $0.path == out.path }) {
                    throw PipeError(.duplicateOut, "stage '\(name)' declares the output '\(out.path)' twice",
                                    fix: "keep one declaration (first at \(twin.location.map(String.init(describing:)) ?? "?"))",
                                    location: out.location, keyPath: "\(path(key))[\(i)]")
                }
                outs.append(out)
            }
        }
        outs.sort { $0.path < $1.path }

        let frozen = try bool(field("frozen"), keyPath: path("frozen"))
        let alwaysChanged = try bool(field("always_changed"), keyPath: path("always_changed"))
        var desc: String?
        if let node = field("desc"), !node.isNull { desc = try text(node, keyPath: path("desc")) }

        let resources = try parseResources(field("resources"), stage: name, keyPath: path("resources"))
        var executor: ExecutorKind?
        if let node = field("executor"), !node.isNull {
            executor = try ExecutorKind.parse(try text(node, keyPath: path("executor")), location: node.location,
                                              keyPath: path("executor"))
        }

        var stage = Stage(name: name, command: command, wdir: wdir, deps: deps, params: params, outs: outs,
                          frozen: frozen, alwaysChanged: alwaysChanged, desc: desc, location: location)
        (stage.resources, stage.resourceSettings, stage.resourceLocations) = resources
        stage.executor = executor
        return stage
    }

    private func parseCommand(cmd: SourceNode?, plugin: SourceNode?, args: SourceNode?, stageName: String,
                              keyPath: String, location: SourceLocation) throws -> StageCommand {
        switch (cmd, plugin) {
        case (nil, nil):
            throw PipeError(.missingKey, "stage '\(stageName)' has neither 'cmd' nor 'plugin'",
                            fix: "add 'cmd: <shell command>' or 'plugin: <stage executable>'", location: location,
                            keyPath: keyPath)
        case let (cmd?, _?):
            throw PipeError(.invalidValue, "stage '\(stageName)' has both 'cmd' and 'plugin'; a stage runs exactly one of them",
                            fix: "keep either 'cmd' or 'plugin' (with its 'args')", location: cmd.location,
                            keyPath: "\(keyPath).cmd")
        case let (cmd?, nil):
            if let args {
                throw PipeError(.invalidValue, "'args' only goes with 'plugin'", fix: "put the arguments in 'cmd'",
                                location: args.location, keyPath: "\(keyPath).args")
            }
            let lines: [String]
            if let items = cmd.items {
                lines = try items.enumerated().map { try text($1, keyPath: "\(keyPath).cmd[\($0)]") }
            } else {
                lines = [try text(cmd, keyPath: "\(keyPath).cmd")]
            }
            guard !lines.isEmpty, !lines.contains(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) else {
                throw PipeError(.invalidValue, "'cmd' of stage '\(stageName)' is empty", fix: "write the command to run",
                                location: cmd.location, keyPath: "\(keyPath).cmd")
            }
            return .shell(lines)
        case let (nil, plugin?):
            let name = try text(plugin, keyPath: "\(keyPath).plugin")
            guard !name.isEmpty, !name.contains("/"), !name.contains(where: \.isWhitespace) else {
                throw PipeError(.invalidValue, "'plugin: \(name)' is not an executable product name",
                                fix: "name a stage executable of this package, e.g. 'plugin: clean'",
                                location: plugin.location, keyPath: "\(keyPath).plugin")
            }
            let argv = try list(args, keyPath: "\(keyPath).args").enumerated().map {
                try text($1, keyPath: "\(keyPath).args[\($0)]")
            }
            return .plugin(name: name, args: argv)
        }
    }

    /// One `params` entry: `key`, or `{file: [keys]}`, or `{file: }` / `{file: []}` for the whole file.
    /// Each reference comes with where its file is named (for a missing-file error).
    private func parseParam(_ item: SourceNode, wdir: String, keyPath: String) throws -> [(ParamReference, SourceLocation)] {
        if let entries = item.entries {
            var refs: [(ParamReference, SourceLocation)] = []
            for entry in entries {
                let file = try RepoPath.resolve(entry.key, in: wdir, location: entry.keyLocation, keyPath: keyPath)
                let keys = try list(entry.value, keyPath: "\(keyPath).\(entry.key)")
                if keys.isEmpty {
                    refs.append((ParamReference(file: file, key: nil, location: entry.keyLocation), entry.keyLocation))
                }
                for (j, keyNode) in keys.enumerated() {
                    let key = try text(keyNode, keyPath: "\(keyPath).\(entry.key)[\(j)]")
                    refs.append((ParamReference(file: file, key: try checkedKey(key, node: keyNode, keyPath: keyPath),
                                                location: keyNode.location), entry.keyLocation))
                }
            }
            return refs
        }
        let key = try text(item, keyPath: keyPath)
        let file = try RepoPath.resolve("params.yaml", in: wdir, location: item.location, keyPath: keyPath)
        return [(ParamReference(file: file, key: try checkedKey(key, node: item, keyPath: keyPath), location: item.location),
                 item.location)]
    }

    private func checkedKey(_ key: String, node: SourceNode, keyPath: String) throws -> String {
        guard !key.isEmpty, !key.hasPrefix("."), !key.hasSuffix("."), !key.contains("..") else {
            throw PipeError(.invalidValue, "'\(key)' is not a params key", fix: "write a dotted key such as 'train.lr'",
                            location: node.location, keyPath: keyPath)
        }
        return key
    }

    /// One `outs`/`metrics`/`plots` entry: `path`, or `{path: {cache: false, persist: true}}`.
    private func parseOutput(_ item: SourceNode, kind: Output.Kind, wdir: String, keyPath: String) throws -> Output {
        var raw: String
        var flags: SourceNode?
        var pathLocation = item.location
        if let entries = item.entries {
            guard entries.count == 1, let entry = entries.first else {
                throw PipeError(.invalidValue, "an output entry with flags must have exactly one path key",
                                fix: "write '- path:' with the flags indented under it", location: item.location,
                                keyPath: keyPath)
            }
            raw = entry.key
            flags = entry.value.isNull ? nil : entry.value
            pathLocation = entry.keyLocation
        } else {
            raw = try text(item, keyPath: keyPath)
        }
        let path = try RepoPath.resolve(raw, in: wdir, location: pathLocation, keyPath: keyPath)
        guard path != "." else {
            throw PipeError(.invalidValue, "the repository root (or a stage's wdir) cannot be an output",
                            fix: "name a file or directory inside it", location: pathLocation, keyPath: keyPath)
        }
        var out = Output(path: path, kind: kind, location: pathLocation)
        if let flags {
            let allowed = kind == .plot ? Self.plotFlagKeys : Self.outputFlagKeys
            let entries = try Self.checkKeys(flags, allowed: allowed, keyPath: "\(keyPath).\(raw)", what: "output '\(raw)'")
            for entry in entries {
                switch entry.key {
                case "cache": out.cache = try bool(entry.value, keyPath: "\(keyPath).\(raw).cache")
                case "persist": out.persist = try bool(entry.value, keyPath: "\(keyPath).\(raw).persist")
                case "push": out.push = try bool(entry.value, keyPath: "\(keyPath).\(raw).push")
                case "remote": out.remote = try text(entry.value, keyPath: "\(keyPath).\(raw).remote")
                default: break
                }
            }
        }
        return out
    }

    // MARK: typed accessors

    /// A list field; a missing or null field is an empty list.
    func list(_ node: SourceNode?, keyPath: String) throws -> [SourceNode] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else {
            throw PipeError(.invalidValue, "'\(keyPath)' must be a list, not \(node.typeName)",
                            fix: "write one '- item' per line", location: node.location, keyPath: keyPath)
        }
        return items
    }

    /// A scalar as text (numbers and booleans in their YAML spelling); lists and mappings are refused.
    func text(_ node: SourceNode, keyPath: String) throws -> String {
        if case let .scalar(v) = node.kind, v != .null, let s = v.interpolationText { return s }
        throw PipeError(.invalidValue, "'\(keyPath)' must be a string, not \(node.typeName)",
                        fix: "write a single string value", location: node.location, keyPath: keyPath)
    }

    /// A boolean field; missing means false.
    func bool(_ node: SourceNode?, keyPath: String) throws -> Bool {
        guard let node else { return false }
        guard case let .scalar(.bool(b)) = node.kind else {
            throw PipeError(.invalidValue, "'\(keyPath)' must be true or false, not \(node.typeName)",
                            fix: "write true or false", location: node.location, keyPath: keyPath)
        }
        return b
    }
}

extension ParamReference {
    /// Whether this reference already includes `other` (same file, and the whole file or an enclosing section).
    func covers(_ other: ParamReference) -> Bool {
        guard file == other.file else { return false }
        guard let key else { return true }
        guard let otherKey = other.key else { return false }
        return otherKey == key || otherKey.hasPrefix(key + ".")
    }
}
