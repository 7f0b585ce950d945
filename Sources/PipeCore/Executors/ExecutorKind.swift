import PipeBasics

/// Where a stage's commands run: here (`local`) or as a Slurm job (`slurm`). Chosen per stage by its own
/// `executor:`, else `pipe repro --executor`, else the config's `executor:`, else local (design §8).
public enum ExecutorKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A child process of `pipe` on this machine.
    case local
    /// A batch job submitted with `sbatch` (shared filesystem assumed).
    case slurm

    public var description: String { rawValue }

    /// The executor named `text`.
    ///
    /// - Throws: `.invalidValue` naming the known executors (with a did-you-mean), at `location`/`keyPath`.
    public static func parse(_ text: String, location: SourceLocation? = nil, keyPath: String? = nil) throws(PipeError) -> ExecutorKind {
        if let kind = ExecutorKind(rawValue: text) { return kind }
        let names = allCases.map(\.rawValue)
        var fix = "executors: " + names.joined(separator: ", ")
        if let guess = DidYouMean.closest(to: text, in: names) { fix = "did you mean '\(guess)'? " + fix }
        throw PipeError(.invalidValue, "unknown executor '\(text)'", fix: fix, location: location, keyPath: keyPath)
    }
}

/// The `resources:` keys with a meaning beyond a local capacity: what they are and how Slurm receives them.
public enum StageResourceKeys {
    /// Whole-number keys Slurm requests: `cpus` (or `cores`) → `--cpus-per-task`, `mem_mb` → `--mem`,
    /// `runtime` (minutes) → `--time`, `gpus` → `--gpus`.
    public static let amounts = ["cores", "cpus", "mem_mb", "runtime", "gpus"]
    /// Text keys passed to Slurm as they are (`gres` → `--gres`, as Snakemake's `gres`); `slurm_extra` is extra
    /// `sbatch` flags separated by spaces.
    public static let settings = ["partition", "account", "qos", "constraint", "gres", "slurm_extra"]
    /// Every key a stage run by Slurm may declare.
    public static var slurm: [String] { amounts + settings }
    /// Keys that only size a batch request: they never occupy a local capacity unless `--resource` names one.
    static let batchOnly: Set<String> = ["mem_mb", "runtime"]
}
