import PipeBasics
import Foundation

/// One of the project's two config files, read as a validated tree and edited key by key.
///
/// `.pipe/config` is committed; `.pipe/config.local` is git-ignored (through `.pipe/.gitignore`, written with it)
/// and is the only file allowed to hold secrets.
public struct ConfigFile: Sendable {
    /// Which of the two files.
    public enum Scope: Sendable {
        /// `.pipe/config`, committed with the project.
        case project
        /// `.pipe/config.local`, this machine's overrides and secrets, never committed.
        case local

        /// The file's path relative to the repository root.
        public var relativePath: String { self == .project ? ".pipe/config" : ".pipe/config.local" }
    }

    /// Which file this is.
    public let scope: Scope
    /// The file on disk.
    public let url: URL
    /// Its content (an empty mapping when the file does not exist).
    public private(set) var root: ParamValue

    /// Reads and validates the file of `scope` in `workspace`; a missing file is an empty config.
    ///
    /// - Throws: `.yamlSyntax`, `.unknownKey` or `.invalidValue` naming the file, line and key.
    public static func load(_ scope: Scope, in workspace: Workspace) throws -> ConfigFile {
        let url = workspace.root.appendingPathComponent(scope.relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return ConfigFile(scope: scope, url: url, root: .dict([]))
        }
        let node = try YAMLReader.parse(String(decoding: data, as: UTF8.self), file: scope.relativePath)
        try ConfigValidator(scope: scope).validate(node)
        return ConfigFile(scope: scope, url: url, root: node.isNull ? .dict([]) : node.value)
    }

    /// Sets the value at `path` (e.g. `["remotes", "storage", "url"]`), creating mappings on the way; nil removes
    /// the key (and mappings left empty by it).
    public mutating func set(_ path: [String], to value: ParamValue?) {
        root = Self.setting(root, path[...], to: value) ?? .dict([])
    }

    /// The value at `path`, if present.
    public func value(at path: [String]) -> ParamValue? {
        var node: ParamValue? = root
        for key in path { node = node?.member(key) }
        return node
    }

    private static func setting(_ node: ParamValue, _ path: ArraySlice<String>, to value: ParamValue?) -> ParamValue? {
        guard let key = path.first else { return value }
        var entries: [(String, ParamValue)] = []
        if case let .dict(existing) = node { entries = existing }
        let child = entries.first { $0.0 == key }?.1 ?? .dict([])
        let updated = setting(child, path.dropFirst(), to: value)
        if let index = entries.firstIndex(where: { $0.0 == key }) {
            if let updated, updated != .dict([]) { entries[index].1 = updated } else { entries.remove(at: index) }
        } else if let updated, updated != .dict([]) {
            entries.append((key, updated))
        }
        return .dict(entries)
    }

    /// The file's YAML text: a header comment, then the tree in block style.
    public var text: String {
        var out = scope == .project
            ? "# pipe project config (edit with `pipe remote ...`); secrets belong in .pipe/config.local\n"
            : "# this machine's pipe config: overrides .pipe/config, may hold secrets, never committed\n"
        YAMLText.emitBlock(root, indent: 0, into: &out)
        return out
    }

    /// Writes the file atomically (the local file with permissions 0600, and `.pipe/.gitignore` so it is never
    /// committed).
    public func save() throws {
        if scope == .local {
            let ignore = url.deletingLastPathComponent().appendingPathComponent(".gitignore")
            let current = FileManager.default.contents(atPath: ignore.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            if !current.split(separator: "\n").contains("/config.local") {
                let joined = current.isEmpty || current.hasSuffix("\n") ? current : current + "\n"
                try AtomicFile.write(Data((joined + "/config.local\n").utf8), to: ignore)
            }
        }
        try AtomicFile.write(Data(text.utf8), to: url, permissions: scope == .local ? 0o600 : 0o644)
    }
}

extension ProjectConfig {
    /// The project's config: `.pipe/config` with `.pipe/config.local` laid over it, leaf by leaf.
    ///
    /// - Throws: the first invalid key or value, naming its file, line and key; `.invalidValue` when a remote
    ///   has no `url` in either file.
    public static func load(in workspace: Workspace) throws -> ProjectConfig {
        let project = try ConfigFile.load(.project, in: workspace)
        let local = try ConfigFile.load(.local, in: workspace)
        let config = ProjectConfig(root: merged(project.root, local.root))
        if case let .dict(remotes)? = config.root.member("remotes") {
            for (name, options) in remotes where options.member("url") == nil {
                throw PipeError(.missingKey, "remote '\(name)' has no url", fix: "set one: pipe remote add \(name) URL",
                                keyPath: "remotes.\(name).url")
            }
        }
        if let name = config.defaultRemoteName, !config.remotes.contains(where: { $0.name == name }) {
            var fix = "configured remotes: " + (config.remotes.isEmpty ? "none (pipe remote add NAME URL)"
                                                                      : config.remotes.map(\.name).joined(separator: ", "))
            if let guess = DidYouMean.closest(to: name, in: config.remotes.map(\.name)) { fix = "did you mean '\(guess)'? " + fix }
            throw PipeError(.remoteConfig, "default_remote '\(name)' names no configured remote", fix: fix,
                            keyPath: "default_remote")
        }
        return config
    }

    /// `base` with every leaf of `overlay` set over it (mappings merge, anything else replaces).
    static func merged(_ base: ParamValue, _ overlay: ParamValue) -> ParamValue {
        guard case var .dict(entries) = base, case let .dict(over) = overlay else { return overlay }
        for (key, value) in over {
            if let index = entries.firstIndex(where: { $0.0 == key }) {
                entries[index].1 = merged(entries[index].1, value)
            } else {
                entries.append((key, value))
            }
        }
        return .dict(entries)
    }
}
