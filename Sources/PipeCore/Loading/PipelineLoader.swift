import Foundation
import PipeBasics

/// Loads pipeline.yaml into a validated `Pipeline`: YAML → templating (`vars`, `${...}`) → `foreach`/`matrix`
/// expansion → typed stages with repo-relative paths → params files read and declared keys checked → validation
/// (names, outputs, cycles).
///
/// Every error is a `PipeError` carrying the file, line and column and the key path of what is wrong. The
/// existence of deps on disk is deliberately not checked here (see `PipelineValidator.checkDepsExist`), so
/// `pipe lock --check` can load a pipeline in a checkout without its data.
public struct PipelineLoader: Sendable {
    /// The repository root every path is relative to.
    public let repoRoot: URL

    /// Top-level keys pipeline.yaml may hold.
    public static let topLevelKeys = ["stages", "vars"]

    /// A loader for pipelines of the repository at `repoRoot`.
    public init(repoRoot: URL) {
        self.repoRoot = repoRoot
    }

    /// Loads and validates the pipeline file at the repo-relative path `file`.
    public func load(file: String = "pipeline.yaml") throws -> Pipeline {
        let relative = try RepoPath.resolve(file, in: ".", location: nil, keyPath: nil)
        let url = repoRoot.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw PipeError(.usage, "pipeline file '\(relative)' does not exist in \(repoRoot.path)",
                            fix: "run pipe from the repository root, or create \(relative)")
        }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PipeError(.yamlSyntax, "pipeline file '\(relative)' cannot be read as UTF-8 text", fix: "save it as UTF-8",
                            location: SourceLocation(file: relative, line: 1, column: 1), cause: String(describing: error))
        }
        return try load(text: text, file: relative)
    }

    /// Loads pipeline text as if read from the repo-relative path `file` (params and vars files are still read from disk).
    public func load(text: String, file: String) throws -> Pipeline {
        let root = try YAMLReader.parse(text, file: file)
        if root.isNull { return Pipeline(stages: [], file: file) }
        let entries = try StageParser.checkKeys(root, allowed: Self.topLevelKeys, keyPath: "", what: "the pipeline file")
        let directory = RepoPath.directory(of: file)
        let varsLoader = VarsLoader(repoRoot: repoRoot)

        var context = TemplateContext()
        try varsLoader.mergeDefaultParams(into: &context, directory: directory)
        if let vars = entries.first(where: { $0.key == "vars" })?.value {
            try varsLoader.merge(vars: vars, base: directory, into: &context, keyPath: "vars")
        }

        let expander = StageExpander(parser: StageParser(pipelineDirectory: directory, file: file), vars: varsLoader)
        var params = ParamsLoader(repoRoot: repoRoot)
        var stages: [Stage] = []
        var defined: [String: SourceLocation] = [:]
        if let stagesNode = entries.first(where: { $0.key == "stages" })?.value, !stagesNode.isNull {
            guard let declared = stagesNode.entries else {
                throw PipeError(.invalidValue, "'stages' must be a mapping of stage names to definitions, not \(stagesNode.typeName)",
                                fix: "write each stage as 'name:' followed by its indented fields",
                                location: stagesNode.location, keyPath: "stages")
            }
            for entry in declared {
                for stage in try expander.expand(name: entry.key, nameLocation: entry.keyLocation, definition: entry.value,
                                                 context: context, params: &params) {
                    if let first = defined[stage.name] {
                        throw PipeError(.invalidValue, "stage '\(stage.name)' is defined twice (first at \(first))",
                                        fix: "rename one of them, or remove duplicate foreach/matrix values",
                                        location: entry.keyLocation, keyPath: "stages.\(entry.key)")
                    }
                    defined[stage.name] = entry.keyLocation
                    stages.append(stage)
                }
            }
        }

        let pipeline = Pipeline(stages: stages, file: file, paramsFiles: params.files)
        try PipelineValidator.validate(pipeline)
        return pipeline
    }

    static func missingParam(key: String, file: String, root: ParamValue, stage: String, location: SourceLocation?,
                             keyPath: String) -> PipeError {
        // Suggest from the deepest mapping that does exist on the key's path.
        var parts = key.split(separator: ".").map(String.init)
        let last = parts.removeLast()
        var fix = "add '\(key)' to \(file), or correct the key in the stage's params"
        if let parent = parts.isEmpty ? root : root.value(at: parts.joined(separator: ".")),
           case let .dict(pairs) = parent,
           let guess = DidYouMean.closest(to: last, in: pairs.map(\.0)) {
            fix = "did you mean '\((parts + [guess]).joined(separator: "."))'? " + fix
        }
        return PipeError(.missingParam, "stage '\(stage)' declares param '\(key)', which is not in \(file)",
                         fix: fix, location: location, keyPath: keyPath)
    }
}
