/// The config's `slurm:` section: request defaults for every stage Slurm runs and the default bound on jobs in
/// flight.
public struct SlurmSettings: Sendable, Equatable {
    /// Keys `slurm:` may hold.
    public static let keys = ["partition", "account", "qos", "constraint", "slurm_extra", "jobs"]

    /// `partition`, `account`, `qos`, `constraint`, `slurm_extra` as written; a stage's own `resources:` win.
    public var defaults: [String: String] = [:]
    /// Jobs in flight when `-j` is not given; nil means unbounded (the cluster schedules).
    public var jobs: Int?

    /// Settings; see each property.
    public init(defaults: [String: String] = [:], jobs: Int? = nil) {
        self.defaults = defaults
        self.jobs = jobs
    }
}

extension ProjectConfig {
    /// The configured default executor (`executor:`), if any; the validator has checked its value.
    public var executor: ExecutorKind? {
        root.member("executor")?.interpolationText.flatMap(ExecutorKind.init(rawValue:))
    }

    /// The `slurm:` section.
    public var slurm: SlurmSettings {
        var settings = SlurmSettings()
        guard case let .dict(entries)? = root.member("slurm") else { return settings }
        for (key, value) in entries {
            if key == "jobs", case let .int(n) = value { settings.jobs = n } else if let text = value.interpolationText {
                settings.defaults[key] = text
            }
        }
        return settings
    }
}
