extension ConfigValidator {
    /// `slurm:`: defaults for every stage Slurm runs (`partition`, `account`, `qos`, `constraint`, `slurm_extra`;
    /// a stage's own `resources:` win) and `jobs`, the jobs in flight when `-j` is not given.
    func validateSlurm(_ node: SourceNode) throws {
        if node.isNull { return }
        for option in try StageParser.checkKeys(node, allowed: SlurmSettings.keys, keyPath: "slurm", what: "slurm settings") {
            let path = "slurm.\(option.key)"
            if option.key == "jobs" {
                try requirePositiveInt(option.value, keyPath: path, example: "jobs: 50")
                continue
            }
            guard let text = option.value.string, !text.isEmpty, !text.contains(where: { "'\"\\".contains($0) }) else {
                throw PipeError(.invalidValue, "'\(path)' must be a string without quotes, not \(option.value.typeName)",
                                fix: option.key == "slurm_extra" ? "write e.g. slurm_extra: --exclusive" : "write e.g. \(option.key): debug",
                                location: option.value.location, keyPath: path)
            }
            if option.key == "slurm_extra" {
                try SlurmExtra.rejectManagedFlags(in: text, subject: "'\(path)'", location: option.value.location, keyPath: path)
            }
        }
    }
}
