import Foundation

/// Brings stages up to date: topological order, only invalidated stages, outputs restored from the cache when
/// that is enough, early cutoff when a rerun reproduces the same outputs.
///
/// The lock is rewritten atomically after each successful stage, so an interrupted run keeps every stage that
/// finished and the previous entries of the rest.
public final class Reproducer: @unchecked Sendable {
    public let workspace: Workspace
    public let pipeline: Pipeline
    public let graph: StageGraph
    public let invalidation: StageInvalidation
    public let cache: any OutputCache
    public let launch: StageLaunch
    /// Called with the repo-relative paths of cached outputs after they are committed (e.g. to update .gitignore).
    public var ignoreOutputs: @Sendable ([String]) throws -> Void = { _ in }

    private let events: @Sendable (ReproEvent) -> Void
    private let stateLock = NSLock()
    private var current: StageProcess?
    private var interruptedBy: Int32?

    public init(workspace: Workspace, pipeline: Pipeline, graph: StageGraph, invalidation: StageInvalidation,
                cache: any OutputCache, launch: StageLaunch = StageLaunch(),
                events: @escaping @Sendable (ReproEvent) -> Void) {
        self.workspace = workspace
        self.pipeline = pipeline
        self.graph = graph
        self.invalidation = invalidation
        self.cache = cache
        self.launch = launch
        self.events = events
    }

    /// Forwards a signal to the running stage's process group and stops after it.
    public func interrupt(_ signal: Int32) {
        stateLock.withLock {
            interruptedBy = signal
            current?.signal(signal)
        }
    }

    /// The stages `options` select, in topological order.
    public func plan(_ options: ReproOptions) throws -> [String] {
        for t in options.targets where pipeline.stage(named: t) == nil {
            throw PipelineStatus.unknownStage(t, in: pipeline)
        }
        if options.targets.isEmpty { return graph.order }
        var wanted = Set(options.targets)
        if !options.singleItem {
            for t in options.targets {
                if options.downstream { wanted.formUnion(graph.downstream(of: t)) } else { wanted.formUnion(graph.upstream(of: t)) }
            }
        }
        return graph.order.filter { wanted.contains($0) }
    }

    /// Runs the plan; throws the first failure (after `--keep-going` has run what it could).
    @discardableResult
    public func run(_ options: ReproOptions) throws -> ReproSummary {
        var lock = try workspace.readLock()
        let order = try plan(options)
        var summary = ReproSummary()
        var willChange: Set<String> = []     // dry run: stages that would run
        var failed: [String: String] = [:]   // stage → the failed stage that blocks it
        var firstError: PipeError?
        let names = Set(pipeline.stages.map(\.name))

        for name in order {
            let stage = pipeline.stage(named: name)!
            if let blocker = graph.parents(of: name).compactMap({ failed[$0] }).first {
                failed[name] = blocker
                summary.skipped.append(name)
                events(.skippedAfterFailure(stage: name, failed: blocker))
                continue
            }
            if stage.frozen { events(.frozen(stage: name)); continue }
            if let signal = stateLock.withLock({ interruptedBy }) ?? SignalForwarding.receivedSignal {
                throw Self.interruption(signal)
            }

            var reasons = try invalidation.reasons(for: stage, entry: lock.stages[name])
            reasons += graph.parents(of: name).filter { willChange.contains($0) }.map { .upstreamStale(stage: $0) }
            if options.force && (options.targets.isEmpty || !options.singleItem || options.targets.contains(name)) {
                reasons.append(.forced)
            }
            if reasons.isEmpty {
                summary.upToDate.append(name)
                events(.upToDate(stage: name))
                continue
            }
            if !options.dry, reasons.allSatisfy(\.isOutputOnly), let entry = lock.stages[name],
               try restoreOutputs(of: stage, entry: entry, reasons: reasons) {
                summary.restored.append(name)
                continue
            }
            events(.willRun(stage: name, reasons: reasons, dry: options.dry))
            if options.dry { willChange.insert(name); continue }

            do {
                let started = Date()
                let entry = try execute(stage)
                let previous = lock.stages[name]
                lock.stages[name] = entry
                try workspace.writeLock(lock, keeping: names)
                try ignoreOutputs(stage.outs.filter(\.cache).map(\.path))
                summary.ran.append(name)
                events(.finished(stage: name, seconds: Date().timeIntervalSince(started),
                                 changedOutputs: previous?.outs != entry.outs))
            } catch let error as PipeError {
                if error.code == .interrupted { throw error }
                failed[name] = name
                summary.failed.append(name)
                if firstError == nil { firstError = error }
                if !options.keepGoing { throw error }
            }
        }
        if !options.dry { try workspace.writeLock(lock, keeping: names) }  // drops entries of removed stages
        if let firstError { throw firstError }
        return summary
    }

    /// Restores missing or modified outputs from the cache; false when any of them cannot be restored.
    private func restoreOutputs(of stage: Stage, entry: LockedStage, reasons: [InvalidationReason]) throws -> Bool {
        var paths: [String] = []
        for reason in reasons {
            switch reason {
            case let .outMissing(p), let .outModified(p): paths.append(p)
            default: return false
            }
        }
        var locked: [LockedPath] = []
        for p in paths {
            guard let out = stage.outs.first(where: { $0.path == p }), out.cache,
                  let l = entry.out(p), cache.canRestore(l) else { return false }
            locked.append(l)
        }
        for l in locked {
            try cache.restore(l)
            invalidation.hashing.invalidate(l.path)
        }
        events(.restored(stage: stage.name, paths: paths))
        return true
    }

    /// Runs the stage's commands and returns its new lock entry; never caches or locks partial outputs.
    private func execute(_ stage: Stage) throws -> LockedStage {
        let depPaths = invalidation.depPaths(of: stage)
        var deps: [LockedPath] = []
        for path in depPaths {
            guard let snap = try invalidation.hashing.snapshot(of: path) else {
                let error = PipeError(.missingDep, "stage '\(stage.name)': dependency \(path) does not exist",
                                      fix: "create it, or declare the stage that produces it", location: stage.location)
                events(.failed(stage: stage.name, error: error, stderrTail: []))
                throw error
            }
            deps.append(snap)
        }
        let fm = FileManager.default
        for out in stage.outs {
            let url = workspace.url(out.path)
            if !out.persist { try? fm.removeItem(at: url) }
            try? fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        }
        let commands = try launch.commands(for: stage)
        let env = launch.environment(for: stage, pipeline: pipeline, repoRoot: workspace.root)
        let dir = workspace.url(stage.wdir)
        for argv in commands {
            let process = StageProcess()
            stateLock.withLock { current = process }
            let name = stage.name
            let events = self.events
            let outcome = try process.run(argv: argv, directory: dir, environment: env) { line, isErr in
                if isErr, let p = Self.progress(line) {
                    events(.progress(stage: name, done: p.done, total: p.total, message: p.message))
                } else {
                    events(.output(stage: name, line: line, isStderr: isErr))
                }
            }
            stateLock.withLock { current = nil }
            for out in stage.outs { invalidation.hashing.invalidate(out.path) }
            if let signal = stateLock.withLock({ interruptedBy }) ?? SignalForwarding.receivedSignal {
                let error = Self.interruption(signal)
                events(.failed(stage: stage.name, error: error, stderrTail: outcome.stderrTail))
                throw error
            }
            if !outcome.succeeded {
                let how = outcome.signal.map { "was killed by signal \($0)" } ?? "exited with status \(outcome.exitStatus)"
                let error = PipeError(.stageFailed, "stage '\(stage.name)' failed: `\(argv.joined(separator: " "))` \(how)",
                                      fix: "fix the stage and run `pipe repro \(stage.name)` again; its previous lock entry is kept",
                                      location: stage.location)
                events(.failed(stage: stage.name, error: error, stderrTail: outcome.stderrTail))
                throw error
            }
        }
        var outs: [LockedPath] = []
        for out in stage.outs {
            guard let snap = try invalidation.hashing.snapshot(of: out.path) else {
                let error = PipeError(.stageFailed, "stage '\(stage.name)' succeeded but did not create its output \(out.path)",
                                      fix: "make the command write \(out.path), or remove it from outs", location: out.location ?? stage.location)
                events(.failed(stage: stage.name, error: error, stderrTail: []))
                throw error
            }
            if out.cache { try cache.store(snap) }
            outs.append(snap)
        }
        return LockedStage(cmd: invalidation.commandText(of: stage), deps: deps,
                           params: invalidation.paramsEntry(of: stage), outs: outs)
    }

    static func interruption(_ signal: Int32) -> PipeError {
        PipeError(.interrupted, "interrupted by signal \(signal); pipe.lock and .cache keep every stage that finished",
                  fix: "run `pipe repro` again to continue")
    }

    /// Parses `pipe:progress {"done":N,"total":M,"message":"..."}`.
    static func progress(_ line: String) -> (done: Int, total: Int, message: String)? {
        guard line.hasPrefix("pipe:progress ") else { return nil }
        let json = line.dropFirst("pipe:progress ".count)
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return ((obj["done"] as? NSNumber)?.intValue ?? 0, (obj["total"] as? NSNumber)?.intValue ?? 0,
                obj["message"] as? String ?? "")
    }
}
