import Foundation

/// One metrics file as read on one side of a report: its values (nested, in file order) or the fact that it
/// is missing there.
public struct MetricsFile: Sendable, Equatable {
    /// Repo-relative path.
    public var path: String
    /// The file's top-level mapping; nil when the file does not exist on this side.
    public var values: ParamValue?

    /// A file at `path` holding `values` (nil: missing).
    public init(path: String, values: ParamValue?) {
        self.path = path
        self.values = values
    }

    /// Leaves by dotted key, in file order (empty when missing).
    public var flattened: [(key: String, value: ParamValue)] { values.map { FlatValues.flatten($0) } ?? [] }

    /// Parses metrics text: JSON for `.json`, YAML otherwise (JSON is YAML, so a `.txt` holding JSON reads too).
    ///
    /// - Throws: `.invalidValue` naming the file (and `side`, for a revision) when the text does not parse or its
    ///   top level is not a mapping; the parser's message, with line and column, is the cause.
    public static func parse(_ data: Data, path: String, side: String? = nil) throws -> MetricsFile {
        let label = side.map { "'\(path)' at \($0)" } ?? "'\(path)'"
        let text = String(decoding: data, as: UTF8.self)
        let node: SourceNode
        do {
            node = ParamsLoader.isJSON(path) ? try JSONReader.parse(text, file: path, nonFiniteNumbers: true) : try YAMLReader.parse(text, file: path)
        } catch let error as PipeError {
            throw PipeError(.invalidValue, "metrics file \(label) is not valid \(ParamsLoader.isJSON(path) ? "JSON" : "YAML")",
                            fix: "correct the file, or rerun the stage that writes it (`pipe repro`)",
                            location: error.location ?? SourceLocation(file: path, line: 1, column: 1),
                            cause: error.message)
        }
        switch node.kind {
        case .map: return MetricsFile(path: path, values: node.value)
        case .scalar(.null): return MetricsFile(path: path, values: .dict([]))
        default:
            throw PipeError(.invalidValue, "metrics file \(label) must hold a mapping of names to values, not \(node.typeName)",
                            fix: "write an object such as {\"accuracy\": 0.93}", location: node.location)
        }
    }
}

/// The metrics files of one side of a report, in the order the pipeline declares them.
public struct MetricsSnapshot: Sendable, Equatable {
    /// `workspace` or the revision's name.
    public var name: String
    /// The files read, missing ones included, in declaration order.
    public var files: [MetricsFile]

    /// A side named `name` holding `files`.
    public init(name: String, files: [MetricsFile]) {
        self.name = name
        self.files = files
    }

    /// Paths that do not exist on this side.
    public var missing: [String] { files.filter { $0.values == nil }.map(\.path) }

    /// Reads the metrics files of `snapshot`: `targets` when given (repo-relative, declared or not), otherwise
    /// every path declared under `metrics:`; a directory stands for its JSON and YAML files. A missing file is
    /// recorded, not an error; a malformed one throws.
    public static func read(_ snapshot: RepoSnapshot, targets: [String] = []) throws -> MetricsSnapshot {
        var paths = targets
        if paths.isEmpty {
            var seen = Set<String>()
            paths = snapshot.outputs(of: .metric).map(\.output.path).filter { seen.insert($0).inserted }
        }
        paths = snapshot.expandingDirectories(paths, extensions: [".json", ".yaml", ".yml"])
        let side = snapshot.commit == nil ? nil : snapshot.name
        let files = try paths.map { path in
            guard let data = try snapshot.contents(of: path) else { return MetricsFile(path: path, values: nil) }
            return try MetricsFile.parse(data, path: path, side: side)
        }
        return MetricsSnapshot(name: snapshot.name, files: files)
    }
}
