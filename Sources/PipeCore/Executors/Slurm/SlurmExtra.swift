/// The `sbatch` flags `slurm_extra` may not carry, because pipe sets them itself: the log it follows, the job's
/// name, directory and environment, `--no-requeue`, one job per stage; or because a resource key says them (a
/// flag given twice is silently won by the last, so `--partition` in `slurm_extra` would override `partition:`).
/// Snakemake's Slurm plugin refuses the same kind of flags in its `slurm_extra`.
public enum SlurmExtra {
    /// A flag `slurm_extra` may not set, and what to do instead.
    public struct ManagedFlag: Sendable, Equatable {
        /// The word as written (`--output=x.log`, `-p`).
        public var word: String
        /// Why pipe owns it, or the resource key to use instead.
        public var fix: String
    }

    /// Long names (without `--`) and short letters pipe sets, with the fix for each.
    static let managed: [(long: [String], short: [Character], fix: String)] = [
        (["output", "error", "open-mode", "input"], ["o", "e", "i"],
         "pipe sends the job's output to .cache/slurm/logs/STAGE.log and follows it there"),
        (["job-name"], ["J"], "pipe names the job pipe:STAGE so that squeue shows it"),
        (["chdir", "workdir"], ["D"], "pipe runs the job in the stage's wdir: set `wdir:` on the stage"),
        (["export", "export-file"], [], "pipe exports the whole environment with PIPE_STAGE, PIPE_PARAMS and PIPE_REPO_ROOT"),
        (["parsable", "wait", "wrap", "array", "clusters", "cluster", "test-only", "comment"], ["W", "a", "M"],
         "pipe submits one job per stage on this cluster and follows it with squeue"),
        (["requeue", "no-requeue"], [], "pipe submits with --no-requeue and reruns a failed stage itself"),
        (["cpus-per-task"], ["c"], "use `cpus:` in the stage's resources"),
        (["mem"], [], "use `mem_mb:` in the stage's resources"),
        (["time"], ["t"], "use `runtime:` (minutes) in the stage's resources"),
        (["gpus"], ["G"], "use `gpus:` in the stage's resources"),
        (["gres"], [], "use `gres:` in the stage's resources"),
        (["partition"], ["p"], "use `partition:` in the stage's resources"),
        (["account"], ["A"], "use `account:` in the stage's resources"),
        (["qos"], ["q"], "use `qos:` in the stage's resources"),
        (["constraint"], ["C"], "use `constraint:` in the stage's resources"),
    ]

    /// Throws `.invalidValue` when `text` (the `slurm_extra` that `subject` names, written at `location` under
    /// `keyPath`) carries a flag pipe sets itself, with what to use instead: one check for the stage's resources
    /// and for the config's Slurm defaults.
    static func rejectManagedFlags(in text: String, subject: String, location: SourceLocation?, keyPath: String) throws {
        guard let flag = managedFlag(in: text) else { return }
        throw PipeError(.invalidValue, "\(subject) sets \(flag.word), which pipe sets itself",
                        fix: flag.fix + "; drop it from slurm_extra", location: location, keyPath: keyPath)
    }

    /// The first flag of `text` (words split at whitespace, as `SlurmSubmission` passes them) pipe owns, if any.
    /// `--name`, `--name=value`, `-X`, `-Xvalue`. O(words × flags).
    public static func managedFlag(in text: String) -> ManagedFlag? {
        for word in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            if word.hasPrefix("--") {
                let name = String(word.dropFirst(2).prefix { $0 != "=" })
                if let entry = managed.first(where: { $0.long.contains(name) }) { return ManagedFlag(word: word, fix: entry.fix) }
            } else if word.hasPrefix("-"), let letter = word.dropFirst().first,
                      let entry = managed.first(where: { $0.short.contains(letter) }) {
                return ManagedFlag(word: word, fix: entry.fix)
            }
        }
        return nil
    }
}
