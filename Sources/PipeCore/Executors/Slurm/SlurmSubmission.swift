import Foundation

/// What pipe hands `sbatch` for one stage: the flags (name, comment, wdir, log, resources) and the batch script
/// that runs the stage's commands in order until one fails. Pure, so its mapping is tested without a cluster.
public struct SlurmSubmission: Sendable, Equatable {
    /// The `sbatch` flags, before the script path.
    public var arguments: [String]
    /// The batch script's text.
    public var script: String

    /// The submission of `job` in run `run`, logging to `log`, with `defaults` (the config's `slurm:` text keys)
    /// under the stage's own `resourceSettings`.
    ///
    /// Resources: `cores` → `--cpus-per-task`, `mem_mb` → `--mem=NM`, `runtime` (minutes) → `--time`, `gpus` →
    /// `--gpus`, `partition`/`account`/`qos`/`constraint`/`gres` → the flag of that name, `slurm_extra` → its words.
    /// `--no-requeue` keeps Slurm from running a stage a second time after a node failure; `--export=ALL` passes
    /// the submitting environment (with `PIPE_STAGE`, `PIPE_REPO_ROOT`, `PIPE_PARAMS`) to the job unchanged.
    public init(job: StageJob, run: String, log: URL, defaults: [String: String] = [:]) {
        var args = ["--job-name=pipe:\(job.stage)", "--comment=pipe run \(run) stage \(job.stage)",
                    "--chdir=\(job.workingDirectory.path)", "--output=\(log.path)", "--open-mode=truncate",
                    "--export=ALL", "--no-requeue"]
        if let n = job.resources["cores"] { args.append("--cpus-per-task=\(n)") }
        if let n = job.resources["mem_mb"] { args.append("--mem=\(n)M") }
        if let n = job.resources["runtime"] { args.append("--time=\(n)") }
        if let n = job.resources["gpus"] { args.append("--gpus=\(n)") }
        let text = defaults.merging(job.resourceSettings) { $1 }
        for key in StageResourceKeys.settings where key != "slurm_extra" {
            if let value = text[key] { args.append("--\(key)=\(value)") }
        }
        if let extra = text["slurm_extra"] { args += extra.split(whereSeparator: \.isWhitespace).map(String.init) }
        arguments = args

        var lines = ["#!/bin/sh", "# pipe: stage '\(job.stage)' of run \(run), repository \(job.repoRoot.path)"]
        for (i, argv) in job.commands.enumerated() {
            let command = argv.map(CommandArguments.shellQuote).joined(separator: " ")
            lines.append("\(command) || { status=$?; echo \"pipe: command \(i + 1) of \(job.commands.count) "
                         + "exited with status $status\" >&2; exit $status; }")
        }
        script = lines.joined(separator: "\n") + "\n"
    }
}
