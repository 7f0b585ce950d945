import Yams

extension LockFile {
    /// The lock as YAML: fixed key order, stages sorted by name, one block per stage, so diffs stay minimal
    /// and reordering deps, outs or params in pipeline.yaml leaves the bytes unchanged.
    public func yamlText() -> String {
        var out = yamlHeader
        for name in stages.keys.sorted() { out += Self.yamlBlock(name: name, stage: stages[name]!) }
        return out
    }

    /// What precedes the stage blocks: the schema line and the `stages:` key.
    var yamlHeader: String { "schema: \(schema)\nstages:\n" }

    /// One stage's block of lock text; `yamlText()` is the header followed by these blocks in name order, so a
    /// block can be cached while its entry stays equal (`LockTextCache`).
    static func yamlBlock(name: String, stage: LockedStage) -> String {
        var out = "  \(YAMLText.scalar(name)):\n"
        out += "    cmd: \(YAMLText.scalar(stage.cmd))\n"
        if !stage.deps.isEmpty {
            out += "    deps:\n"
            for dep in stage.deps { Self.emit(dep, into: &out) }
        }
        if !stage.params.isEmpty {
            out += "    params:\n"
            for file in stage.params.keys.sorted() {
                out += "      \(YAMLText.scalar(file)):\n"
                for p in stage.params[file]! {
                    YAMLText.emit(key: p.key, value: p.value, indent: 8, into: &out)
                }
            }
        }
        if !stage.outs.isEmpty {
            out += "    outs:\n"
            for o in stage.outs { Self.emit(o, into: &out) }
        }
        return out
    }

    private static func emit(_ p: LockedPath, into out: inout String) {
        out += "    - path: \(YAMLText.scalar(p.path))\n"
        out += "      hash: \(p.hash.hex)\n"
        out += "      size: \(p.size)\n"
        if let n = p.nfiles { out += "      nfiles: \(n)\n" }
    }

    /// Parses lock text; `file` names it in errors. Merge-conflict markers and malformed entries are reported
    /// with their line, never guessed around.
    public static func parse(_ text: String, file: String = "pipe.lock") throws -> LockFile {
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            if line.hasPrefix("<<<<<<<") || line.hasPrefix(">>>>>>>") || line == "=======" || line.hasPrefix("======= ") {
                throw PipeError(.lockConflict, "\(file) contains a git merge-conflict marker",
                                fix: "resolve the conflict (or delete \(file) and run `pipe commit` / `pipe repro`)",
                                location: SourceLocation(file: file, line: lineNo, column: 1))
            }
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return LockFile() }
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else { return LockFile() }
            root = node
        } catch let error as YamlError {
            throw PipeError(.lockCorrupt, "\(file) is not valid YAML", fix: "restore it from git (`git checkout \(file)`)",
                            location: Self.location(of: error, file: file), cause: "\(error)")
        }
        func fail(_ node: Node?, _ key: String, _ what: String) -> PipeError {
            PipeError(.lockCorrupt, "\(file): \(what)", fix: "restore it from git (`git checkout \(file)`)",
                      location: node?.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) },
                      keyPath: key)
        }
        guard let top = root.mapping else { throw fail(root, "", "expected a mapping at the top level") }
        var lock = LockFile()
        if let schemaNode = top["schema"] {
            guard let s = schemaNode.int else { throw fail(schemaNode, "schema", "schema must be an integer") }
            guard s <= LockFile.currentSchema else {
                throw PipeError(.lockCorrupt, "\(file) has schema \(s), newer than this pipe understands (\(LockFile.currentSchema))",
                                fix: "upgrade pipe", keyPath: "schema")
            }
            lock.schema = s
        }
        guard let stagesNode = top["stages"] else { return lock }
        if case .scalar = stagesNode, stagesNode.string?.isEmpty ?? true { return lock }
        guard let stageMap = stagesNode.mapping else { throw fail(stagesNode, "stages", "stages must be a mapping") }
        for (nameNode, body) in stageMap {
            guard let name = nameNode.string else { throw fail(nameNode, "stages", "stage name must be a string") }
            let base = "stages.\(name)"
            guard let m = body.mapping else { throw fail(body, base, "stage entry must be a mapping") }
            guard let cmd = m["cmd"]?.string else { throw fail(body, base + ".cmd", "missing cmd") }
            func paths(_ key: String) throws -> [LockedPath] {
                guard let seqNode = m[key] else { return [] }
                guard let seq = seqNode.sequence else { throw fail(seqNode, "\(base).\(key)", "expected a list") }
                return try seq.enumerated().map { i, item in
                    let kp = "\(base).\(key)[\(i)]"
                    guard let e = item.mapping, let path = e["path"]?.string else { throw fail(item, kp, "expected path") }
                    guard let hashText = e["hash"]?.string, let hash = ContentHash(hex: hashText) else {
                        throw fail(item, kp + ".hash", "expected a 32-digit hex hash")
                    }
                    guard let sizeNode = e["size"], let size = sizeNode.int else { throw fail(item, kp + ".size", "expected size") }
                    return LockedPath(path: path, hash: hash, size: Int64(size), nfiles: e["nfiles"]?.int)
                }
            }
            var params: [String: [LockedParam]] = [:]
            if let pNode = m["params"] {
                guard let pm = pNode.mapping else { throw fail(pNode, base + ".params", "expected a mapping") }
                for (fileNode, keys) in pm {
                    guard let f = fileNode.string, let km = keys.mapping else {
                        throw fail(keys, base + ".params", "expected file: {key: value}")
                    }
                    params[f] = km.map { LockedParam(key: $0.key.string ?? "", value: YAMLText.paramValue($0.value)) }
                }
            }
            lock.stages[name] = LockedStage(cmd: cmd, deps: try paths("deps"), params: params, outs: try paths("outs"))
        }
        return lock
    }

    static func location(of error: YamlError, file: String) -> SourceLocation? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        default:
            return nil
        }
    }
}

import Foundation
