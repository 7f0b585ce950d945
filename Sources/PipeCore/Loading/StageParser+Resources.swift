import PipeBasics

extension StageParser {
    /// A stage's `resources:`: whole numbers (`cpus`/`cores`, `mem_mb`, `runtime`, `gpus`, or any named local
    /// resource such as `heavy: 1`) and the batch system's text keys (`partition`, `account`, `qos`,
    /// `constraint`, `gres`, `slurm_extra`), with where each key is written.
    ///
    /// - Throws: `.invalidValue` for a value of the wrong type, both `cpus` and `cores`, or a `slurm_extra` flag
    ///   pipe sets itself (`SlurmExtra`); `.unknownKey` for a
    ///   text value under a key that takes none (with a did-you-mean).
    func parseResources(_ node: SourceNode?, stage name: String, keyPath: String) throws
        -> (amounts: [String: Int], settings: [String: String], locations: [String: SourceLocation]) {
        var amounts: [String: Int] = [:]
        var settings: [String: String] = [:]
        var locations: [String: SourceLocation] = [:]
        guard let node, !node.isNull else { return (amounts, settings, locations) }
        let entries = try Self.checkKeys(node, allowed: (node.entries ?? []).map(\.key), keyPath: keyPath,
                                         what: "resources of stage '\(name)'")
        for entry in entries {
            let path = keyPath + "." + entry.key
            locations[entry.key] = entry.keyLocation
            if StageResourceKeys.settings.contains(entry.key) {
                let value = try text(entry.value, keyPath: path)
                let forbidden = entry.key == "slurm_extra" ? "'\"\\" : "'\"\\ \t"
                guard !value.isEmpty, !value.contains(where: { forbidden.contains($0) }) else {
                    throw PipeError(.invalidValue, "resource '\(entry.key)' of stage '\(name)' must be "
                                    + (entry.key == "slurm_extra" ? "sbatch flags separated by spaces, without quotes"
                                                                  : "one word"),
                                    fix: entry.key == "slurm_extra" ? "write e.g. 'slurm_extra: --exclusive --nice=10'"
                                                                    : "write e.g. '\(entry.key): debug'",
                                    location: entry.value.location, keyPath: path)
                }
                if entry.key == "slurm_extra" {
                    try SlurmExtra.rejectManagedFlags(in: value, subject: "resource 'slurm_extra' of stage '\(name)'",
                                                      location: entry.value.location, keyPath: path)
                }
                settings[entry.key] = value
                continue
            }
            guard case let .scalar(.int(amount)) = entry.value.kind, amount > 0 else {
                if case .scalar(.string) = entry.value.kind, !StageResourceKeys.amounts.contains(entry.key) {
                    var fix = "text resources are: " + StageResourceKeys.settings.joined(separator: ", ")
                    if let guess = DidYouMean.closest(to: entry.key, in: StageResourceKeys.slurm) {
                        fix = "did you mean '\(guess)'? " + fix
                    }
                    throw PipeError(.unknownKey, "unknown resource '\(entry.key)' of stage '\(name)' (a named resource takes a whole number)",
                                    fix: fix, location: entry.keyLocation, keyPath: path)
                }
                throw PipeError(.invalidValue, "resource '\(entry.key)' of stage '\(name)' must be a positive integer"
                                + (entry.key == "runtime" ? " (minutes)" : entry.key == "mem_mb" ? " (megabytes)" : ""),
                                fix: "write e.g. 'resources: {cpus: 2, mem_mb: 4000, runtime: 30}'",
                                location: entry.value.location, keyPath: path)
            }
            amounts[entry.key] = amount
        }
        if let cpus = amounts.removeValue(forKey: "cpus") {
            if amounts["cores"] != nil {
                throw PipeError(.invalidValue, "stage '\(name)' declares both 'cpus' and 'cores'; they are the same resource",
                                fix: "keep one of them", location: locations["cpus"], keyPath: keyPath + ".cpus")
            }
            // One name for the engine: `cores` is what the local scheduler counts and Slurm's --cpus-per-task.
            amounts["cores"] = cpus
            locations["cores"] = locations["cpus"]
        }
        return (amounts, settings, locations)
    }
}
