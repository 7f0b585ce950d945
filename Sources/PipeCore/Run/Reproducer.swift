import Foundation

/// Brings stages up to date: only invalidated stages, in dependency order, up to `jobs` at once within declared
/// resources; outputs restored from the cache when that is enough (or from the run cache when this exact run
/// happened before); early cutoff when a rerun reproduces the same outputs.
///
/// A thin coordinator: `StageScheduler` orders and bounds the work, `RerunDecider` decides each stage's fate,
/// a `StageExecutor` runs the commands, `LockWriter` batches the lock writes. Every stage that finishes has its
/// outputs in the cache and its run in the run cache at once; its lock entry (and `.gitignore` line) is written
/// atomically at most `lockWriteInterval` later, together with those of any other stages that finished
/// meanwhile, and always at the end of the run, on failure and on interrupt. So the lock only gains entries of
/// finished stages (each true when written), an interrupted run keeps the previous entries of the rest, and a
/// stage whose entry a hard crash lost is restored from the run cache, not rerun. A stage's reasons are computed
/// only once all its upstream stages are done, against the workspace as they left it.
public final class Reproducer: @unchecked Sendable {
    public let workspace: Workspace
    public let pipeline: Pipeline
    public let graph: StageGraph
    public let invalidation: StageInvalidation
    public let cache: any OutputCache
    public let runCache: RunCache
    public let launch: StageLaunch
    /// Where stage commands run (`LocalExecutor` unless set).
    public var executor: any StageExecutor = LocalExecutor()
    /// Which executor runs each stage (all local unless set); a stage of another kind runs through `executors`.
    public var executorPlan = ExecutorPlan()
    /// The executors of kinds other than local (e.g. `.slurm: SlurmExecutor`).
    public var executors: [ExecutorKind: any StageExecutor] = [:]
    /// Called with the repo-relative paths of cached outputs after they are committed (e.g. to update .gitignore),
    /// batched with the lock writes; each path is passed at most once per run.
    public var ignoreOutputs: @Sendable ([String]) throws -> Void = { _ in }
    /// Called once when a run ends, however it ends (e.g. to save the hashing state index: an optimisation whose
    /// loss in a crash only costs re-hashing, so it is not saved per stage).
    public var persistState: @Sendable () -> Void = {}
    /// The shortest time between two lock writes while stages keep finishing; the first finished stage is written
    /// at once. Zero writes after every stage.
    public var lockWriteInterval: TimeInterval = 0.25

    private let events: @Sendable (ReproEvent) -> Void
    private var decider: RerunDecider { RerunDecider(invalidation: invalidation, cache: cache, runCache: runCache) }

    public init(workspace: Workspace, pipeline: Pipeline, graph: StageGraph, invalidation: StageInvalidation,
                cache: any OutputCache, launch: StageLaunch = StageLaunch(),
                events: @escaping @Sendable (ReproEvent) -> Void) {
        self.workspace = workspace
        self.pipeline = pipeline
        self.graph = graph
        self.invalidation = invalidation
        self.cache = cache
        self.runCache = RunCache(cacheRoot: workspace.cacheRoot)
        self.launch = launch
        self.events = events
    }

    /// The stages `options` select, in topological order. Targets are resolved as DVC resolves them
    /// (`StageGraph.stageNames(targeting:glob:)`), and, as in DVC, the walk up (or `--downstream`) does not cross
    /// a frozen stage.
    public func plan(_ options: ReproOptions) throws -> [String] {
        order(of: try resolvingTargets(options))
    }

    /// `plan` for options whose targets are already stage names.
    private func order(of options: ReproOptions) -> [String] {
        if options.targets.isEmpty { return graph.order }
        var wanted = Set(options.targets)
        if options.wholePipeline && !options.singleItem {
            // DVC's -p: the targets stand for the whole pipelines they belong to
            for t in options.targets { wanted.formUnion(graph.connected(to: t)) }
            return graph.order.filter { wanted.contains($0) }
        }
        if !options.singleItem {
            for t in options.targets {
                wanted.formUnion(options.downstream ? graph.activeDownstream(of: t) : graph.activeUpstream(of: t))
            }
        }
        return graph.order.filter { wanted.contains($0) }
    }

    /// `options` with its targets replaced by the stage names they resolve to, so `-f -s GROUP` forces exactly
    /// the stages of the group.
    private func resolvingTargets(_ options: ReproOptions) throws -> ReproOptions {
        guard !options.targets.isEmpty else { return options }
        var resolved = options
        resolved.targets = try graph.stageNames(targeting: options.targets, glob: options.glob)
        resolved.glob = false
        return resolved
    }

    /// What a stage's work hands back to the scheduling thread.
    struct StageRun: Sendable {
        var entry: LockedStage
        var seconds: Double
    }

    /// Runs the plan; throws the first failure (after `--keep-going` has run what it could).
    ///
    /// - Throws: `.missingDep` before anything runs when a stage of the plan that is not frozen reads a path that
    ///   neither exists nor is produced by a stage; a missing input of a stage outside the plan does not matter
    ///   (as in DVC, `repro b` runs while an unrelated `a` lacks its data).
    @discardableResult
    public func run(_ options: ReproOptions) throws -> ReproSummary {
        let options = try resolvingTargets(options)
        let order = order(of: options)
        if !options.allowMissing {      // there, data absent here is for each stage's decision to weigh
            try PipelineValidator.checkDepsExist(pipeline, graph: graph, repoRoot: workspace.root,
                                                 only: Set(order.filter { graph.stage(named: $0)?.frozen == false }))
        }
        let inPlan = Set(order)
        defer { persistState() }
        let ignoreOutputs = self.ignoreOutputs
        var writer = try LockWriter(workspace: workspace, stageNames: Set(pipeline.stages.map(\.name)),
                                    interval: lockWriteInterval, ignoreOutputs: { try ignoreOutputs($0) })
        let cancellation = StageCancellation.interruptible()
        let jobs = order.map { name in
            StageScheduler<StageRun>.Job(name: name, parents: graph.parents(of: name).filter(inPlan.contains),
                                         needs: executorPlan.schedulerNeeds(of: graph.stage(named: name)!,
                                                                            capacities: options.resourceCapacities))
        }
        let scheduler = StageScheduler<StageRun>(
            jobs: jobs, limits: .init(jobs: options.jobs, capacities: options.resourceCapacities, keepGoing: options.keepGoing),
            cancellation: cancellation)
        var summary = ReproSummary()
        var willChange: Set<String> = []
        let decider = self.decider

        let report = scheduler.run(
            start: { job in
                let stage = graph.stage(named: job.name)!
                var stageOptions = options
                if options.forceDownstream, job.parents.contains(where: {
                    summary.ran.contains($0) || summary.runCacheHits.contains($0) || willChange.contains($0)
                }) {
                    stageOptions.force = true      // DVC's --force-downstream: no early cutoff below a rerun
                    stageOptions.singleItem = false
                }
                do {
                    let decision = try decider.decide(stage, entry: writer.lock.stages[job.name],
                                                      upstreamWillChange: job.parents.filter(willChange.contains),
                                                      options: stageOptions)
                    return apply(decision, to: stage, noCommit: options.noCommit, summary: &summary, willChange: &willChange, writer: &writer,
                                 cancellation: cancellation)
                } catch {
                    return .failed(error as? PipeError ?? PipeError(.stageFailed, "stage '\(job.name)': \(error)"))
                }
            },
            finished: { name, result in
                switch result {
                case let .success(run):
                    let previous = writer.lock.stages[name]
                    writer.record(run.entry, of: graph.stage(named: name)!)
                    summary.ran.append(name)
                    events(.finished(stage: name, seconds: run.seconds, changedOutputs: previous?.outs != run.entry.outs))
                case .failure:
                    break           // reported by `execute`; counted in the scheduler's report
                }
            },
            skipped: { name, blocker in
                events(.skippedAfterFailure(stage: name, failed: blocker))
            },
            housekeeping: { () throws(PipeError) -> Date? in try writer.writeIfDue() })
        summary.failed = report.failed
        summary.skipped = report.skipped.map(\.job)

        // Always written at the end (also after a failure or an interrupt): drops entries of removed stages.
        let finalWrite = options.dry ? nil : Result { try writer.write() }
        if let signal = SignalForwarding.receivedSignal { throw Self.interruption(signal) }
        try finalWrite?.get()
        if let error = report.firstError { throw error }
        return summary
    }

    /// Acts on a decision on the scheduling thread: a run becomes the scheduler's work.
    private func apply(_ decision: RerunDecision, to stage: Stage, noCommit: Bool, summary: inout ReproSummary,
                       willChange: inout Set<String>, writer: inout LockWriter,
                       cancellation: StageCancellation) -> StageScheduler<StageRun>.Start {
        let name = stage.name
        switch decision {
        case .frozen:
            events(.frozen(stage: name))
        case .upToDate:
            events(.upToDate(stage: name))
            summary.upToDate.append(name)
        case let .restored(paths):
            events(.restored(stage: name, paths: paths))
            summary.restored.append(name)
        case let .dryRun(reasons):
            events(.willRun(stage: name, reasons: reasons, dry: true))
            summary.reasons[name] = reasons
            willChange.insert(name)
        case let .runCacheHit(entry, reasons):
            events(.restoredFromRunCache(stage: name, reasons: reasons))
            summary.reasons[name] = reasons
            summary.runCacheHits.append(name)
            writer.record(entry, of: stage)
        case let .run(reasons):
            events(.willRun(stage: name, reasons: reasons, dry: false))
            summary.reasons[name] = reasons
            return .run { [self] in
                let started = Date()
                let entry = try execute(stage, noCommit: noCommit, cancellation: cancellation)
                return StageRun(entry: entry, seconds: Date().timeIntervalSince(started))
            }
        }
        return .finished
    }

    /// Runs the stage through the executor and returns its new lock entry, after caching its outputs and
    /// recording the run in the run cache; never caches or locks partial outputs.
    private func execute(_ stage: Stage, noCommit: Bool, cancellation: StageCancellation) throws -> LockedStage {
        var deps: [LockedPath] = []
        for path in invalidation.depPaths(of: stage) {
            guard let snap = try invalidation.hashing.snapshot(of: path) else {
                throw fail(stage, PipeError(.missingDep, "stage '\(stage.name)': dependency \(path) does not exist",
                                            fix: "create it, or declare the stage that produces it", location: stage.location))
            }
            deps.append(snap)
        }
        let params = invalidation.paramsEntry(of: stage)
        let cmd = invalidation.commandText(of: stage)
        let fm = FileManager.default
        for out in stage.outs {
            let url = workspace.url(out.path)
            if out.persist {
                // DVC's unprotect: the command may update it in place, never the cached object it links to
                if out.cache { try PersistentOutput.unprotect(url.path) }
            } else {
                try? fm.removeItem(at: url)
            }
            try? fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let job = try launch.job(for: stage, pipeline: pipeline, workspace: workspace)
        let name = stage.name
        let events = self.events
        let kind = executorPlan.kind(of: name)
        guard let chosen = kind == .local ? executor : executors[kind] else {
            throw fail(stage, PipeError(.usage, "stage '\(name)' runs on \(kind) but no \(kind) executor is set up",
                                        fix: "run it through `pipe repro`, which sets up every executor the plan names"))
        }
        let execution = try chosen.run(job, cancellation: cancellation) { line, isErr in
            events(.stageLine(line, isStderr: isErr, stage: name))
        }
        for out in stage.outs { invalidation.hashing.invalidate(out.path) }
        if let signal = SignalForwarding.receivedSignal {
            throw fail(stage, Self.interruption(signal), tail: execution.logTail)
        }
        if !execution.succeeded {
            let how = execution.signal.map { "was killed by signal \($0)" } ?? "exited with status \(execution.exitStatus)"
            let what = execution.failure ?? "`\(execution.command.joined(separator: " "))` \(how)"
            throw fail(stage, PipeError(.stageFailed, "stage '\(stage.name)' failed: \(what)",
                                        fix: "fix the stage and run `pipe repro \(stage.name)` again; its previous lock entry is kept",
                                        location: stage.location), tail: execution.logTail)
        }
        var outs: [LockedPath] = []
        for out in stage.outs {
            guard let snap = try invalidation.hashing.snapshot(of: out.path) else {
                throw fail(stage, PipeError(.stageFailed, "stage '\(stage.name)' succeeded but did not create its output \(out.path)",
                                            fix: "make the command write \(out.path), or remove it from outs",
                                            location: out.location ?? stage.location))
            }
            if out.cache && !noCommit { try cache.store(snap) }
            outs.append(snap)
        }
        let entry = LockedStage(cmd: cmd, deps: deps, params: params, outs: outs)
        if !noCommit { decider.recordRun(of: stage, entry: entry) }
        return entry
    }

    /// Reports `error` as the stage's failure and returns it to throw.
    private func fail(_ stage: Stage, _ error: PipeError, tail: [String] = []) -> PipeError {
        events(.failed(stage: stage.name, error: error, stderrTail: tail))
        return error
    }

    static func interruption(_ signal: Int32) -> PipeError {
        PipeError(.interrupted, "interrupted by signal \(signal); pipe.lock and .cache keep every stage that finished",
                  fix: "run `pipe repro` again to continue")
    }
}
