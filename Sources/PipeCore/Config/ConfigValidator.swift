/// Checks a config file's tree: known keys only (with a did-you-mean), the right value types, secrets only in
/// the local file. Every error names the file, line and key path.
struct ConfigValidator {
    let scope: ConfigFile.Scope

    func validate(_ node: SourceNode) throws {
        if node.isNull { return }
        let file = scope.relativePath
        for entry in try StageParser.checkKeys(node, allowed: ProjectConfig.sectionKeys, keyPath: "", what: file) {
            let key = entry.key
            switch key {
            case "default_remote":
                try requireString(entry.value, keyPath: key)
            case "executor":
                try requireString(entry.value, keyPath: key)
                _ = try ExecutorKind.parse(entry.value.string ?? "", location: entry.value.location, keyPath: key)
            case "slurm":
                try validateSlurm(entry.value)
            case "remotes":
                guard let remotes = entry.value.entries else { throw notMapping(entry.value, keyPath: key) }
                for remote in remotes { try validateRemote(remote) }
            case "tracking":
                try validateTracking(entry.value)
            default:
                guard entry.value.entries != nil || entry.value.isNull else { throw notMapping(entry.value, keyPath: key) }
            }
        }
    }

    private func validateRemote(_ remote: SourceEntry) throws {
        let keyPath = "remotes.\(remote.key)"
        let options = try StageParser.checkKeys(remote.value, allowed: ProjectConfig.remoteKeys, keyPath: keyPath,
                                                what: "remote '\(remote.key)'")
        for option in options {
            let path = "\(keyPath).\(option.key)"
            if option.key == "jobs" {
                try requirePositiveInt(option.value, keyPath: path, example: "jobs: 8")
                continue
            }
            try requireString(option.value, keyPath: path)
            if option.key == "url" {
                do { _ = try RemoteSettings.location(of: option.value.string ?? "") } catch {
                    var located = error
                    located.location = option.value.location
                    located.keyPath = path
                    throw located
                }
            }
            if scope == .project && ProjectConfig.secretRemoteKeys.contains(option.key) {
                throw PipeError(.invalidValue, "'\(path)' is a secret and must not be in the committed \(scope.relativePath)",
                                fix: "remove it there and run: pipe remote modify --local \(remote.key) \(option.key) VALUE",
                                location: option.keyLocation, keyPath: path)
            }
        }
    }

    /// A whole number above zero at `keyPath` (`example` shows one in the fix).
    func requirePositiveInt(_ node: SourceNode, keyPath: String, example: String) throws {
        guard case let .scalar(.int(n)) = node.kind, n > 0 else {
            throw PipeError(.invalidValue, "'\(keyPath)' must be a positive whole number, not \(node.typeName)",
                            fix: "write e.g. \(example)", location: node.location, keyPath: keyPath)
        }
    }

    private func validateTracking(_ node: SourceNode) throws {
        if node.isNull { return }
        for backend in try StageParser.checkKeys(node, allowed: ["mlflow"], keyPath: "tracking", what: "tracking") {
            guard !backend.value.isNull else { continue }
            for option in try StageParser.checkKeys(backend.value, allowed: ProjectConfig.mlflowKeys,
                                                    keyPath: "tracking.mlflow", what: "tracking.mlflow") {
                try requireString(option.value, keyPath: "tracking.mlflow.\(option.key)")
            }
        }
    }

    private func requireString(_ node: SourceNode, keyPath: String) throws {
        guard node.string != nil else {
            throw PipeError(.invalidValue, "'\(keyPath)' must be a string, not \(node.typeName)",
                            fix: "write a single string value", location: node.location, keyPath: keyPath)
        }
    }

    private func notMapping(_ node: SourceNode, keyPath: String) -> PipeError {
        PipeError(.invalidValue, "'\(keyPath)' must be a mapping, not \(node.typeName)",
                  fix: "write its fields as indented 'key: value' lines", location: node.location, keyPath: keyPath)
    }
}
