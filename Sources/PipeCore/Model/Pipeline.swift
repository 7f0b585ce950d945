/// A loaded, expanded and validated pipeline: its stages in file order and the params they can read.
public struct Pipeline: Sendable {
    /// Stages in the order they appear in pipeline.yaml (generated stages in generation order).
    public var stages: [Stage]
    /// Repo-relative path of the pipeline file.
    public var file: String
    /// Every params file any stage declares, parsed, by repo-relative path.
    public var paramsFiles: [String: ParamValue]

    public init(stages: [Stage], file: String = "pipeline.yaml", paramsFiles: [String: ParamValue] = [:]) {
        self.stages = stages
        self.file = file
        self.paramsFiles = paramsFiles
    }

    /// The stage named `name`, if any.
    public func stage(named name: String) -> Stage? { stages.first { $0.name == name } }

    /// The values a stage declared, by params file then dotted key (whole-file references list every top-level key).
    public func paramValues(for stage: Stage) -> [String: [(String, ParamValue)]] {
        var result: [String: [(String, ParamValue)]] = [:]
        for ref in stage.params {
            guard let root = paramsFiles[ref.file] else { continue }
            if let key = ref.key {
                if let value = root.value(at: key) { result[ref.file, default: []].append((key, value)) }
            } else if case let .dict(entries) = root {
                result[ref.file, default: []].append(contentsOf: entries)
            }
        }
        return result.mapValues { pairs in
            var seen = Set<String>()
            return pairs.filter { seen.insert($0.0).inserted }.sorted { $0.0 < $1.0 }
        }
    }
}
