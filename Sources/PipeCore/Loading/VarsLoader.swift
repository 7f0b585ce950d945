import Foundation
import PipeBasics

/// Builds the `TemplateContext` of a pipeline or a stage from `params.yaml` and `vars` entries.
///
/// `vars` entries are files (`other.yaml`, `other.json`, `file.yaml:key1,key2` to take only some keys) or inline
/// mappings; files are read relative to `base` (the pipeline file's directory for top-level vars, the stage's
/// `wdir` for stage vars). As in DVC, values from `vars` are for templating only: they are not tracked as params.
struct VarsLoader {
    let repoRoot: URL

    /// Merges `params.yaml` from `directory` into `context` when the file exists (DVC loads it implicitly).
    func mergeDefaultParams(into context: inout TemplateContext, directory: String) throws {
        let path = try RepoPath.resolve("params.yaml", in: directory, location: nil, keyPath: nil)
        guard FileManager.default.fileExists(atPath: repoRoot.appendingPathComponent(path).path),
              !context.hasSource(path) else { return }
        let node = try ParamsLoader.read(path, repoRoot: repoRoot, declaredAt: nil, keyPath: nil)
        try context.merge(node.isNull ? .dict([]) : node.value, source: path, file: path, location: node.location, keyPath: nil)
    }

    /// Merges every entry of a `vars` list node into `context`.
    func merge(vars node: SourceNode, base: String, into context: inout TemplateContext, keyPath: String) throws {
        if node.isNull { return }
        guard let items = node.items else {
            throw PipeError(.invalidValue, "'\(keyPath)' must be a list of files and mappings, not \(node.typeName)",
                            fix: "write e.g. 'vars: [params.yaml, {name: value}]'", location: node.location, keyPath: keyPath)
        }
        for (i, item) in items.enumerated() {
            let itemPath = "\(keyPath)[\(i)]"
            switch item.kind {
            case .map:
                try context.merge(item.value, source: itemPath, location: item.location, keyPath: itemPath)
            case .scalar(.string(let spec)):
                try mergeFile(spec, base: base, into: &context, location: item.location, keyPath: itemPath)
            default:
                throw PipeError(.invalidValue, "'\(itemPath)' must be a file name or a mapping, not \(item.typeName)",
                                fix: "write a params file path or 'name: value' pairs", location: item.location,
                                keyPath: itemPath)
            }
        }
    }

    private func mergeFile(_ spec: String, base: String, into context: inout TemplateContext,
                           location: SourceLocation, keyPath: String) throws {
        var fileSpec = spec
        var selected: [String]?
        if let colon = spec.lastIndex(of: ":") {
            fileSpec = String(spec[..<colon])
            selected = spec[spec.index(after: colon)...].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }
        let path = try RepoPath.resolve(fileSpec, in: base, location: location, keyPath: keyPath)
        let source = selected == nil ? path : "\(path):\(selected!.joined(separator: ","))"
        if context.hasSource(path) || context.hasSource(source) { return }
        let node = try ParamsLoader.read(path, repoRoot: repoRoot, declaredAt: location, keyPath: keyPath)
        var value = node.isNull ? ParamValue.dict([]) : node.value
        if let selected {
            var picked = ParamValue.dict([])
            for key in selected {
                guard let v = value.value(at: key) else {
                    var fix = "correct the key or add it to \(path)"
                    if case let .dict(pairs) = value, let guess = DidYouMean.closest(to: key, in: pairs.map(\.0)) {
                        fix = "did you mean '\(guess)'? " + fix
                    }
                    throw PipeError(.missingParam, "key '\(key)' is not in \(path)", fix: fix, location: location,
                                    keyPath: keyPath)
                }
                picked = picked.setting(v, at: key.split(separator: ".").map(String.init))
            }
            value = picked
        }
        try context.merge(value, source: source, file: path, location: location, keyPath: keyPath)
    }
}

extension ParamValue {
    /// A copy with `value` stored under the key path `keys`, creating mappings on the way.
    func setting(_ value: ParamValue, at keys: [String]) -> ParamValue {
        guard let first = keys.first else { return value }
        var pairs: [(String, ParamValue)] = []
        if case let .dict(existing) = self { pairs = existing }
        if let i = pairs.firstIndex(where: { $0.0 == first }) {
            pairs[i].1 = pairs[i].1.setting(value, at: Array(keys.dropFirst()))
        } else {
            pairs.append((first, ParamValue.dict([]).setting(value, at: Array(keys.dropFirst()))))
        }
        return .dict(pairs)
    }
}
