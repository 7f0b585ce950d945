import PipeBasics
import Foundation

/// The edits `pipe remote add/remove/default/modify` make, on the committed config or the local one.
public struct RemoteEditor {
    /// The repository whose config is edited.
    public let workspace: Workspace

    /// An editor of `workspace`'s config files.
    public init(workspace: Workspace) { self.workspace = workspace }

    /// Adds remote `name` at `url` (replacing it with `force`), and makes it the default with `makeDefault`.
    ///
    /// - Throws: `.usage` when the remote exists and `force` is not set; `.invalidValue` for a bad name or URL.
    public func add(name: String, url: String, makeDefault: Bool, force: Bool, scope: ConfigFile.Scope) throws {
        try Self.checkName(name)
        _ = try RemoteSettings.location(of: url)
        var file = try ConfigFile.load(scope, in: workspace)
        let existing = try ProjectConfig.load(in: workspace).remotes.contains { $0.name == name }
        if existing && !force {
            throw PipeError(.usage, "remote '\(name)' already exists",
                            fix: "use -f to replace it, or `pipe remote modify \(name) url \(url)`")
        }
        if force { file.set(["remotes", name], to: nil) }
        file.set(["remotes", name, "url"], to: .string(url))
        if makeDefault { file.set(["default_remote"], to: .string(name)) }
        try file.save()
    }

    /// Removes remote `name` from the file of `scope`, and the default wherever it named it: in that file and,
    /// for the committed file, in `.pipe/config.local` laid over it (as `dvc remote remove` clears `core.remote`
    /// in the levels that shadow the one edited), so no file is left naming a remote that is gone; the local
    /// file's options for it go too unless they carry a url of their own.
    ///
    /// - Throws: `.usage` when that file has no such remote.
    public func remove(name: String, scope: ConfigFile.Scope) throws {
        var file = try ConfigFile.load(scope, in: workspace)
        guard file.value(at: ["remotes", name]) != nil else {
            throw try unknownRemote(name, in: file)
        }
        file.set(["remotes", name], to: nil)
        if file.value(at: ["default_remote"])?.interpolationText == name { file.set(["default_remote"], to: nil) }
        try file.save()
        if scope == .project {
            var local = try ConfigFile.load(.local, in: workspace)
            var changed = false
            if local.value(at: ["default_remote"])?.interpolationText == name {
                local.set(["default_remote"], to: nil)
                changed = true
            }
            // its local options (keys, secrets) were laid over the remote just removed; left alone they would be a
            // remote without a url, which makes every later command refuse the config
            if local.value(at: ["remotes", name]) != nil && local.value(at: ["remotes", name, "url"]) == nil {
                local.set(["remotes", name], to: nil)
                changed = true
            }
            if changed { try local.save() }
        }
    }

    /// Renames remote `old` to `new` (`dvc remote rename`) in every config file that holds it — the committed file
    /// and the local one laid over it leaf by leaf, so its secrets follow it — and `default_remote` wherever it
    /// named `old`. Outs whose `remote:` names `old` in pipeline.yaml are not edited (DVC's rename leaves dvc.yaml
    /// alone too).
    ///
    /// - Throws: `.usage` when no file has `old` or a remote `new` already exists; `.invalidValue` for a bad name.
    public func rename(_ old: String, to new: String) throws {
        try Self.checkName(new)
        let merged = try ProjectConfig.load(in: workspace)
        var files = [try ConfigFile.load(.project, in: workspace), try ConfigFile.load(.local, in: workspace)]
        guard files.contains(where: { $0.value(at: ["remotes", old]) != nil }) else {
            throw try unknownRemote(old, in: files[0])
        }
        if old == new { return }
        if merged.remotes.contains(where: { $0.name == new }) || files.contains(where: { $0.value(at: ["remotes", new]) != nil }) {
            throw PipeError(.usage, "cannot rename '\(old)': a remote named '\(new)' already exists",
                            fix: "choose another name, or remove it first: pipe remote remove \(new)")
        }
        for index in files.indices {
            var changed = false
            if let options = files[index].value(at: ["remotes", old]) {
                files[index].set(["remotes", new], to: options)
                files[index].set(["remotes", old], to: nil)
                changed = true
            }
            if files[index].value(at: ["default_remote"])?.interpolationText == old {
                files[index].set(["default_remote"], to: .string(new))
                changed = true
            }
            if changed { try files[index].save() }
        }
    }

    /// Makes `name` the default remote, or unsets the default when `name` is nil.
    public func setDefault(_ name: String?, scope: ConfigFile.Scope) throws {
        var file = try ConfigFile.load(scope, in: workspace)
        if let name {
            _ = try ProjectConfig.load(in: workspace).remote(named: name)
            file.set(["default_remote"], to: .string(name))
        } else {
            file.set(["default_remote"], to: nil)
        }
        try file.save()
    }

    /// Sets option `key` of remote `name` to `value` (nil unsets it).
    ///
    /// - Throws: `.unknownKey` for an option remotes do not have; `.invalidValue` for a secret outside the local
    ///   file or a bad value; `.usage` when the remote does not exist.
    public func modify(name: String, key: String, value: String?, scope: ConfigFile.Scope) throws {
        _ = try ProjectConfig.load(in: workspace).remote(named: name)
        guard ProjectConfig.remoteKeys.contains(key) else {
            var fix = "options: " + ProjectConfig.remoteKeys.joined(separator: ", ")
            if let guess = DidYouMean.closest(to: key, in: ProjectConfig.remoteKeys) { fix = "did you mean '\(guess)'? " + fix }
            throw PipeError(.unknownKey, "remotes have no option '\(key)'", fix: fix, keyPath: "remotes.\(name).\(key)")
        }
        if scope == .project && ProjectConfig.secretRemoteKeys.contains(key) && value != nil {
            throw PipeError(.invalidValue, "'\(key)' is a secret: it is never written to the committed .pipe/config",
                            fix: "add --local: pipe remote modify --local \(name) \(key) VALUE",
                            keyPath: "remotes.\(name).\(key)")
        }
        var file = try ConfigFile.load(scope, in: workspace)
        var parsed: ParamValue? = value.map { .string($0) }
        if key == "jobs", let value {
            guard let n = Int(value), n > 0 else {
                throw PipeError(.invalidValue, "jobs must be a positive whole number, not '\(value)'",
                                fix: "e.g. pipe remote modify \(name) jobs 8", keyPath: "remotes.\(name).jobs")
            }
            parsed = .int(n)
        }
        if key == "url", let value { _ = try RemoteSettings.location(of: value) }
        if key == "url" && value == nil,
           try ConfigFile.load(scope == .project ? .local : .project, in: workspace).value(at: ["remotes", name, "url"]) == nil {
            throw PipeError(.invalidValue, "a remote cannot be left without its url",
                            fix: "set another: pipe remote modify \(name) url URL, or remove the remote: pipe remote remove \(name)",
                            keyPath: "remotes.\(name).url")
        }
        file.set(["remotes", name, key], to: parsed)
        try file.save()
    }

    private func unknownRemote(_ name: String, in file: ConfigFile) throws -> PipeError {
        var names: [String] = []
        if case let .dict(remotes)? = file.value(at: ["remotes"]) { names = remotes.map(\.0) }
        var fix = "\(file.scope.relativePath) holds: " + (names.isEmpty ? "no remotes" : names.joined(separator: ", "))
        if let guess = DidYouMean.closest(to: name, in: names) { fix = "did you mean '\(guess)'? " + fix }
        return PipeError(.usage, "no remote named '\(name)' in \(file.scope.relativePath)", fix: fix)
    }

    /// Remote names are identifiers: letters, digits, `-`, `_`, `.`.
    static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ CharacterSetLite.letters.contains($0)
            || CharacterSetLite.digits.contains($0) || "-_.".unicodeScalars.contains($0) }) else {
            throw PipeError(.invalidValue, "invalid remote name '\(name)'",
                            fix: "use letters, digits, '-', '_' and '.' only")
        }
    }
}
