import Foundation

/// Reads params files (YAML or JSON, chosen by extension) into `ParamValue`s with key order preserved.
///
/// A loader caches each file it parsed, so a file declared by many stages (and by `vars`) is read once and every
/// consumer sees the same value.
public struct ParamsLoader: Sendable {
    /// The directory every path is relative to.
    public let repoRoot: URL
    /// Parsed files by repo-relative path.
    public private(set) var files: [String: ParamValue] = [:]

    /// A loader reading files under `repoRoot`, with an empty cache.
    public init(repoRoot: URL) {
        self.repoRoot = repoRoot
    }

    /// The format a params file is read with, from its extension: `.json` is JSON, anything else YAML.
    public static func isJSON(_ path: String) -> Bool { path.lowercased().hasSuffix(".json") }

    /// Parses the params file at repo-relative `path` (cached after the first read).
    ///
    /// - Parameters:
    ///   - declaredAt: where the pipeline names this file, for the `.missingParamsFile` error.
    ///   - keyPath: the key path of that declaration (`stages.sft.params[1]`).
    /// - Throws: `.missingParamsFile` when the file does not exist, `.yamlSyntax` for malformed text,
    ///   `.invalidValue` when its top level is not a mapping.
    public mutating func load(_ path: String, declaredAt: SourceLocation? = nil, keyPath: String? = nil) throws -> ParamValue {
        if let cached = files[path] { return cached }
        let node = try Self.read(path, repoRoot: repoRoot, declaredAt: declaredAt, keyPath: keyPath)
        let value: ParamValue
        switch node.kind {
        case .map: value = node.value
        case .scalar(.null): value = .dict([])
        default:
            throw PipeError(.invalidValue, "the params file must hold a mapping of keys to values, not \(node.typeName)",
                            fix: "write 'key: value' pairs at the top level of \(path)", location: node.location)
        }
        files[path] = value
        return value
    }

    /// Reads and parses one file into a located tree without caching (used for `vars` files too).
    public static func read(_ path: String, repoRoot: URL, declaredAt: SourceLocation?, keyPath: String?) throws -> SourceNode {
        let url = repoRoot.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw PipeError(.missingParamsFile, "params file '\(path)' does not exist",
                            fix: "create \(path), or correct the file name where it is declared",
                            location: declaredAt, keyPath: keyPath)
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipeError(.invalidValue, "params file '\(path)' cannot be read as UTF-8 text",
                            fix: "save \(path) as UTF-8", location: declaredAt, keyPath: keyPath,
                            cause: String(describing: error))
        }
        return isJSON(path) ? try JSONReader.parse(text, file: path) : try YAMLReader.parse(text, file: path)
    }
}
