import Foundation

extension Project {
    /// Which executor runs each stage: a stage's own `executor:`, else `requested` (`--executor`), else the
    /// config's `executor:`, else local.
    ///
    /// - Throws: an invalid config, or `.unknownKey` for a Slurm stage's resource Slurm has no flag for.
    public func executorPlan(requested: ExecutorKind?) throws -> ExecutorPlan {
        try ExecutorPlan(pipeline: pipeline, requested: requested, configured: try ProjectConfig.load(in: workspace).executor)
    }

    /// Sets up `reproducer`'s executors for `options` and `requested`: the plan, a `SlurmExecutor` when a stage
    /// runs on Slurm, and the bound on jobs in flight (`jobs`, the `-j` given, else `slurm.jobs`, else
    /// unbounded: the cluster schedules; local stages keep `jobs` or the number of cores). Before a real run
    /// it cancels the Slurm jobs an earlier `pipe repro` killed outright left running, reporting each to
    /// `notice`.
    ///
    /// - Throws: `.usage` when a stage runs on Slurm and `sbatch` is not on PATH; the errors of `executorPlan`.
    public func setUpExecutors(of reproducer: Reproducer, requested: ExecutorKind?, jobs: Int?,
                               options: inout ReproOptions, notice: (String) -> Void) throws {
        let config = try ProjectConfig.load(in: workspace)
        let plan = try ExecutorPlan(pipeline: pipeline, requested: requested, configured: config.executor)
        reproducer.executorPlan = plan
        options.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let ledger = SlurmJobLedger(cacheRoot: workspace.cacheRoot)
        let control = SlurmCommandLine(directory: workspace.root)
        if !options.dry && !ledger.recorded.isEmpty {
            guard SlurmCommandLine.isAvailable() else {
                throw PipeError(.usage, "\(ledger.url.path) records Slurm jobs of an interrupted pipe repro, but squeue/scancel are not on PATH",
                                fix: "cancel them on the cluster (scancel \(ledger.recorded.map(\.id).joined(separator: " "))), then delete that file")
            }
            for entry in try ledger.cancelLeftovers(control: control) {
                notice("cancelled Slurm job \(entry.id) (stage '\(entry.stage)') left running by an interrupted pipe repro")
            }
        }
        guard plan.usesSlurm else { return }
        options.resourceCapacities[ExecutorPlan.slurmSlot] = jobs ?? config.slurm.jobs ?? 1 << 20
        if options.dry { return }
        guard SlurmCommandLine.isAvailable() else {
            let stage = pipeline.stages.first { plan.kind(of: $0.name) == .slurm }!.name
            throw PipeError(.usage, "stage '\(stage)' runs on Slurm, but sbatch is not on PATH",
                            fix: "run pipe on a Slurm submit host (for the test cluster: bash scripts/slurm.sh start), or use --executor local")
        }
        reproducer.executors[.slurm] = SlurmExecutor(control: control, cacheRoot: workspace.cacheRoot,
                                                     defaults: config.slurm.defaults)
    }
}
