import Foundation

/// Checks a loaded pipeline as a whole: names, outputs, cycles, and (separately) that deps exist on disk.
public enum PipelineValidator {
    /// Structural checks that need no data: stage names are unique, no output is declared twice or lies inside
    /// another, and the stages form no cycle. Throws the first problem found.
    public static func validate(_ pipeline: Pipeline) throws {
        _ = try StageGraph(pipeline: pipeline)
    }

    /// Checks that every dep either exists under `repoRoot` or is produced by a stage of the pipeline.
    ///
    /// Kept apart from `validate` because `pipe lock --check` must work in a checkout without the data.
    /// `only`: check just these stages (what a `repro` of some targets will run), as DVC fails only a stage it
    /// reaches; nil checks every stage.
    /// - Throws: `.missingDep` naming the first missing dep with its location, and counting any others.
    public static func checkDepsExist(_ pipeline: Pipeline, graph: StageGraph, repoRoot: URL,
                                      only: Set<String>? = nil) throws {
        var missing: [(stage: Stage, dep: Dependency)] = []
        for stage in pipeline.stages where only?.contains(stage.name) ?? true {
            for dep in stage.deps where graph.producers(ofDep: dep.path).isEmpty {
                let url = repoRoot.appendingPathComponent(dep.path)
                if !FileManager.default.fileExists(atPath: url.path) { missing.append((stage, dep)) }
            }
        }
        guard let first = missing.first else { return }
        var message = "stage '\(first.stage.name)' depends on '\(first.dep.path)', which does not exist and is not produced by any stage"
        if missing.count > 1 {
            let others = missing.dropFirst().map { "'\($0.dep.path)' (\($0.stage.name))" }
            message += "; also missing: " + others.joined(separator: ", ")
        }
        throw PipeError(.missingDep, message,
                        fix: "create the file, add a stage that outputs it, or correct the path (paths are relative to the stage's wdir)",
                        location: first.dep.location ?? first.stage.location, keyPath: "stages.\(first.stage.name).deps")
    }
}
