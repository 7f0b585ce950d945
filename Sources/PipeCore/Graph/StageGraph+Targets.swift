/// Command-line targets, addressed as DVC addresses them in `dvc repro`/`dvc status`.
extension StageGraph {
    /// The stages `targets` name, deduplicated, in topological order (empty when `targets` is): each target is a
    /// stage (`train@0`), a `foreach`/`matrix` group (`train`: every `train@…`), either of those after the
    /// pipeline file (`pipeline.yaml:train`), or the pipeline file alone (every stage). With `glob`, a target's
    /// name part is a pattern over stage names (`'train@*'`, `'*-en'`) that must match at least one stage.
    ///
    /// Why: a DVC user types `dvc repro train` for a whole foreach group, `dvc.yaml:train`, or `--glob`; each is
    /// resolved here once so `repro`, `status`, `checkout` and `commit` agree. O(T × V) with a glob, else O(T + V).
    ///
    /// - Throws: `.unknownStage` naming the target, with "did you mean" for a name and the pipeline file for a
    ///   file that is not it.
    public func stageNames(targeting targets: [String], glob: Bool = false) throws -> [String] {
        var wanted = Set<String>()
        for target in targets {
            wanted.formUnion(try stageNames(forTarget: target, glob: glob))
        }
        return order.filter(wanted.contains)
    }

    private func stageNames(forTarget target: String, glob: Bool) throws -> [String] {
        var name = target
        if let colon = target.lastIndex(of: ":") {
            let file = String(target[..<colon])
            guard namesPipelineFile(file) else {
                throw PipeError(.unknownStage, "no pipeline file '\(file)' in target '\(target)'",
                                fix: "stages live in \(pipeline.file): write '\(pipeline.file):\(target[target.index(after: colon)...])' or just the stage name")
            }
            name = String(target[target.index(after: colon)...])
        } else if namesPipelineFile(target) {
            return order
        }
        guard glob else { return try stageNames(matching: name) }
        let pattern = GlobPattern(name)
        let matched = order.filter(pattern.matches)
        guard !matched.isEmpty else {
            throw PipeError(.unknownStage, "no stage matches '\(name)' in \(pipeline.file)",
                            fix: "run 'pipe dag' to list the stages; quote the pattern so the shell leaves it alone")
        }
        return matched
    }

    /// Whether `path` is the pipeline file (`pipeline.yaml`, `./pipeline.yaml`).
    private func namesPipelineFile(_ path: String) -> Bool {
        var path = Substring(path)
        while path.hasPrefix("./") { path = path.dropFirst(2) }
        return path == pipeline.file
    }
}
