import Foundation

/// Reads metrics files (JSON, or YAML by extension) and flattens them to dotted keys, as `dvc metrics show` does.
public enum MetricsReader {
    /// The flattened metrics of the file at repo-relative `path`; nil when the file does not exist.
    ///
    /// - Throws: `.yamlSyntax` naming the file and position when it does not parse, `.invalidValue` when its top
    ///   level is not a mapping.
    public static func read(_ path: String, repoRoot: URL) throws -> [(String, ParamValue)]? {
        let url = repoRoot.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let node = ParamsLoader.isJSON(path) ? try JSONReader.parse(text, file: path, nonFiniteNumbers: true) : try YAMLReader.parse(text, file: path)
        guard case .dict = node.value else {
            throw PipeError(.invalidValue, "metrics file \(path) must hold an object of named values, not \(node.typeName)",
                            fix: "write the metrics as {\"name\": value, …}", location: node.location)
        }
        return flatten(node.value, listsAsValues: false)
    }

    /// Leaves of a tree under dotted keys; lists are indexed (`scores.0`) unless `listsAsValues`.
    public static func flatten(_ value: ParamValue, listsAsValues: Bool, prefix: String = "") -> [(String, ParamValue)] {
        switch value {
        case let .dict(pairs):
            if pairs.isEmpty && !prefix.isEmpty { return [(prefix, value)] }
            return pairs.flatMap { flatten($0.1, listsAsValues: listsAsValues, prefix: prefix.isEmpty ? $0.0 : "\(prefix).\($0.0)") }
        case let .list(items) where !listsAsValues && !items.isEmpty:
            return items.enumerated().flatMap { flatten($0.1, listsAsValues: false, prefix: prefix.isEmpty ? "\($0.0)" : "\(prefix).\($0.0)") }
        default:
            return prefix.isEmpty ? [] : [(prefix, value)]
        }
    }
}
