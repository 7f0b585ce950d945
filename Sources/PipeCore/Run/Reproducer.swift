import Foundation

/// Brings stages up to date: only invalidated stages, in dependency order, up to `jobs` at once within declared
/// resources; outputs restored from the cache when that is enough (or from the run cache when this exact run
/// happened before); early cutoff when a rerun reproduces the same outputs.
///
/// Every stage that finishes has its outputs in the cache and its run in the run cache at once; its lock entry
/// (and `.gitignore` line) is written atomically at most `lockWriteInterval` later, together with those of any
/// other stages that finished meanwhile, and always at the end of the run, on failure and on interrupt. So the
/// lock only gains entries of finished stages (each true when written), an interrupted run keeps the previous
/// entries of the rest, and a stage whose entry a hard crash lost is restored from the run cache, not rerun. Batching keeps a
/// repro O(stages): per-stage whole-lock rewrites made it O(stages²) (docs/benchmarks.md). A stage's reasons are
/// computed only once all its upstream stages are done, against the workspace as they left it.
public final class Reproducer: @unchecked Sendable {
    public let workspace: Workspace
    public let pipeline: Pipeline
    public let graph: StageGraph
    public let invalidation: StageInvalidation
    public let cache: any OutputCache
    public let runCache: RunCache
    public let launch: StageLaunch
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

    /// What to do with a stage once its upstream is done.
    enum Decision {
        case upToDate
        case frozen
        case restored([String])
        case runCacheHit(LockedStage, [InvalidationReason])
        case dryRun([InvalidationReason])
        case run([InvalidationReason])
    }

    /// Scheduler state shared with the stage threads; every access holds `condition`.
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        var state: State
        init(_ state: State) { self.state = state }
    }

    private struct State {
        var lock: LockFile
        var summary = ReproSummary()
        var willChange: Set<String> = []
        var failedBlocker: [String: String] = [:]
        var completed: Set<String> = []
        var running = 0
        var inUse: [String: Int] = [:]
        var firstError: PipeError?
        var stopLaunching = false
        /// `lock` holds entries not yet written to pipe.lock.
        var lockDirty = false
        /// Cached outputs of finished stages not yet passed to `ignoreOutputs`.
        var pendingIgnores: [String] = []
        var ignored: Set<String> = []
    }

    /// The main thread's record of lock writes: the cached entry texts and when the lock was last written.
    private struct LockWriter {
        var textCache = LockTextCache()
        var lastWrite = Date.distantPast
    }

    /// Runs the plan; throws the first failure (after `--keep-going` has run what it could).
    @discardableResult
    public func run(_ options: ReproOptions) throws -> ReproSummary {
        let order = try plan(options)
        let inPlan = Set(order)
        // Each stage's parents within the plan, computed once: the scheduler scans the pending stages on every
        // wake-up, so this keeps a scan to set look-ups, without allocating.
        var plannedParents: [String: [String]] = [:]
        plannedParents.reserveCapacity(order.count)
        for name in order { plannedParents[name] = graph.parents(of: name).filter(inPlan.contains) }
        let names = Set(pipeline.stages.map(\.name))
        defer { persistState() }
        let shared = Shared(State(lock: try workspace.readLock()))
        let condition = shared.condition
        var pending = order
        let capacities = capacities(options)
        var writer = LockWriter()

        condition.lock()
        while true {
            if SignalForwarding.receivedSignal != nil { shared.state.stopLaunching = true }
            var progressed = true
            while progressed && !shared.state.stopLaunching {
                progressed = false
                for (index, name) in pending.enumerated() {
                    let parents = plannedParents[name]!
                    guard parents.allSatisfy(shared.state.completed.contains) else { continue }
                    let stage = graph.stage(named: name)!
                    if let blocker = parents.compactMap({ shared.state.failedBlocker[$0] }).first {
                        pending.remove(at: index)
                        shared.state.failedBlocker[name] = blocker
                        shared.state.completed.insert(name)
                        shared.state.summary.skipped.append(name)
                        events(.skippedAfterFailure(stage: name, failed: blocker))
                        progressed = true
                        break
                    }
                    let need = requirement(of: stage, capacities: capacities)
                    guard need.allSatisfy({ shared.state.inUse[$0.key, default: 0] + $0.value <= capacities[$0.key, default: 1] })
                    else { continue }
                    pending.remove(at: index)
                    let entry = shared.state.lock.stages[name]
                    let upstreamWillChange = parents.filter(shared.state.willChange.contains)
                    condition.unlock()
                    let decision = Result { try decide(stage, entry: entry, upstreamWillChange: upstreamWillChange, options: options) }
                    condition.lock()
                    progressed = true
                    switch decision {
                    case let .failure(error):
                        record(failure: error, of: name, options: options, in: &shared.state)
                    case let .success(decision):
                        apply(decision, to: stage, need: need, options: options, shared: shared,
                              condition: condition)
                    }
                    writeLockIfDue(&writer, shared: shared, names: names)
                    break
                }
            }
            if shared.state.running == 0 && (pending.isEmpty || shared.state.stopLaunching) { break }
            if shared.state.running == 0 {
                // Nothing runs and nothing can start: only possible if a stage needs more than exists.
                let name = pending.removeFirst()
                let error = PipeError(.invalidValue, "stage '\(name)' needs more resources than are available",
                                      fix: "lower its `resources:` or raise the capacity (-j, --resource NAME=N)")
                record(failure: error, of: name, options: options, in: &shared.state)
                continue
            }
            if shared.state.lockDirty {
                let due = writer.lastWrite.addingTimeInterval(lockWriteInterval)
                if Date() >= due {
                    writeLockIfDue(&writer, shared: shared, names: names)
                    continue
                }
                _ = condition.wait(until: due)
            } else {
                condition.wait()
            }
        }
        // Always written at the end (also after a failure or an interrupt): drops entries of removed stages.
        let finalWrite = options.dry ? nil : Result { try writeLock(&writer, state: &shared.state, names: names) }
        let final = shared.state
        condition.unlock()

        if let signal = SignalForwarding.receivedSignal { throw Self.interruption(signal) }
        try finalWrite?.get()
        if let error = final.firstError { throw error }
        return final.summary
    }

    /// Writes the lock (and the pending .gitignore lines) when entries wait and `lockWriteInterval` has passed
    /// since the last write; a write error stops the run. Called on the main thread with `condition` held.
    private func writeLockIfDue(_ writer: inout LockWriter, shared: Shared, names: Set<String>) {
        guard shared.state.lockDirty, Date() >= writer.lastWrite.addingTimeInterval(lockWriteInterval) else { return }
        do {
            try writeLock(&writer, state: &shared.state, names: names)
        } catch {
            let pipeError = error as? PipeError ?? PipeError(.io, "cannot write pipe.lock: \(error)",
                                                             fix: "check the repository is writable, then run `pipe repro` again")
            if shared.state.firstError == nil { shared.state.firstError = pipeError }
            shared.state.stopLaunching = true
            writer.lastWrite = Date()                       // the final write retries; no busy loop meanwhile
        }
    }

    /// Writes the lock and passes the pending cached outputs to `ignoreOutputs`. O(stages) comparisons plus the
    /// text of the entries that changed (`LockTextCache`).
    private func writeLock(_ writer: inout LockWriter, state: inout State, names: Set<String>) throws {
        try workspace.writeLock(state.lock, keeping: names, textCache: &writer.textCache)
        writer.lastWrite = Date()
        state.lockDirty = false
        let paths = state.pendingIgnores
        state.pendingIgnores = []
        if !paths.isEmpty { try ignoreOutputs(paths) }
    }

    /// Records a finished stage's entry for the next lock write. Called with `condition` held.
    private func commit(_ entry: LockedStage, of stage: Stage, in state: inout State) {
        state.lock.stages[stage.name] = entry
        state.lockDirty = true
        for out in stage.outs where out.cache && !state.ignored.contains(out.path) {
            state.ignored.insert(out.path)
            state.pendingIgnores.append(out.path)
        }
    }

    private func capacities(_ options: ReproOptions) -> [String: Int] {
        var c = options.resourceCapacities
        c["cores"] = max(1, options.jobs)
        return c
    }

    /// What a stage occupies: its declared resources (each clamped to the capacity so it can run alone), at least
    /// one core.
    private func requirement(of stage: Stage, capacities: [String: Int]) -> [String: Int] {
        var need = stage.resources
        if need["cores"] == nil { need["cores"] = 1 }
        for (k, v) in need { need[k] = min(v, capacities[k, default: 1]) }
        return need
    }

    private func record(failure error: any Error, of name: String, options: ReproOptions, in state: inout State) {
        let pipeError = error as? PipeError ?? PipeError(.stageFailed, "stage '\(name)': \(error)")
        state.failedBlocker[name] = name
        state.completed.insert(name)
        state.summary.failed.append(name)
        if state.firstError == nil || state.firstError?.code == .stageFailed && pipeError.code == .interrupted {
            state.firstError = pipeError
        }
        if !options.keepGoing || pipeError.code == .interrupted { state.stopLaunching = true }
    }

    /// Acts on a decision; a run goes to its own thread. Called with `condition` held.
    private func apply(_ decision: Decision, to stage: Stage, need: [String: Int], options: ReproOptions,
                       shared: Shared, condition: NSCondition) {
        let name = stage.name
        switch decision {
        case .frozen:
            events(.frozen(stage: name))
            shared.state.completed.insert(name)
        case .upToDate:
            events(.upToDate(stage: name))
            shared.state.summary.upToDate.append(name)
            shared.state.completed.insert(name)
        case let .restored(paths):
            events(.restored(stage: name, paths: paths))
            shared.state.summary.restored.append(name)
            shared.state.completed.insert(name)
        case let .dryRun(reasons):
            events(.willRun(stage: name, reasons: reasons, dry: true))
            shared.state.summary.reasons[name] = reasons
            shared.state.willChange.insert(name)
            shared.state.completed.insert(name)
        case let .runCacheHit(entry, reasons):
            events(.restoredFromRunCache(stage: name, reasons: reasons))
            shared.state.summary.reasons[name] = reasons
            shared.state.summary.runCacheHits.append(name)
            commit(entry, of: stage, in: &shared.state)
            shared.state.completed.insert(name)
        case let .run(reasons):
            events(.willRun(stage: name, reasons: reasons, dry: false))
            shared.state.summary.reasons[name] = reasons
            for (k, v) in need { shared.state.inUse[k, default: 0] += v }
            shared.state.running += 1
            Thread.detachNewThread { [self] in
                let started = Date()
                let outcome = Result { try self.execute(stage) }
                condition.lock()
                defer {
                    for (k, v) in need { shared.state.inUse[k, default: 0] -= v }
                    shared.state.running -= 1
                    shared.state.completed.insert(name)
                    condition.signal()
                    condition.unlock()
                }
                switch outcome {
                case let .success((entry, runKey)):
                    let previous = shared.state.lock.stages[name]
                    self.commit(entry, of: stage, in: &shared.state)
                    if let runKey { try? self.runCache.record(entry, for: runKey) }
                    shared.state.summary.ran.append(name)
                    self.events(.finished(stage: name, seconds: Date().timeIntervalSince(started),
                                          changedOutputs: previous?.outs != entry.outs))
                case let .failure(error):
                    self.record(failure: error, of: name, options: options, in: &shared.state)
                }
            }
        }
    }

    /// Decides a stage's fate from the workspace as its upstream left it.
    func decide(_ stage: Stage, entry: LockedStage?, upstreamWillChange: [String], options: ReproOptions) throws -> Decision {
        if stage.frozen { return .frozen }
        var reasons = try invalidation.reasons(for: stage, entry: entry)
        reasons += upstreamWillChange.map { .upstreamStale(stage: $0) }
        let forced = options.force && (options.targets.isEmpty || !options.singleItem || options.targets.contains(stage.name))
        if forced { reasons.append(.forced) }
        if reasons.isEmpty { return .upToDate }
        if options.dry { return .dryRun(reasons) }
        if reasons.allSatisfy(\.isOutputOnly), let entry, let paths = try restoreOutputs(of: stage, entry: entry, reasons: reasons) {
            return .restored(paths)
        }
        if options.useRunCache && !forced, let hit = try runCacheHit(for: stage) {
            return .runCacheHit(hit, reasons)
        }
        return .run(reasons)
    }

    /// Restores missing or modified outputs from the cache and returns their paths; nil (nothing restored) when
    /// any of them cannot be restored.
    private func restoreOutputs(of stage: Stage, entry: LockedStage, reasons: [InvalidationReason]) throws -> [String]? {
        var paths: [String] = []
        for reason in reasons {
            switch reason {
            case let .outMissing(p), let .outModified(p): paths.append(p)
            default: return nil
            }
        }
        var locked: [LockedPath] = []
        for p in paths {
            guard let out = stage.outs.first(where: { $0.path == p }), out.cache,
                  let l = entry.out(p), cache.canRestore(l) else { return nil }
            locked.append(l)
        }
        try restore(locked)
        return paths
    }

    /// Checks out `outs` from the cache and forgets their memoised hashes.
    private func restore(_ outs: [LockedPath]) throws {
        for out in outs {
            try cache.restore(out)
            invalidation.hashing.invalidate(out.path)
        }
    }

    /// The lock entry of an identical earlier run whose outputs are all restorable, restored; nil otherwise.
    private func runCacheHit(for stage: Stage) throws -> LockedStage? {
        guard Self.usesRunCache(stage),
              let key = try runKey(for: stage), let entry = runCache.lookup(key),
              Set(entry.outs.map(\.path)) == Set(stage.outs.map(\.path)),
              entry.outs.allSatisfy(cache.canRestore) else { return nil }
        try restore(entry.outs)
        return entry
    }

    /// Whether the run cache records and restores `stage`: not always-changed, and every output is cached (at
    /// least one), so a hit can restore all of them.
    private static func usesRunCache(_ stage: Stage) -> Bool {
        !stage.alwaysChanged && !stage.outs.isEmpty && stage.outs.allSatisfy(\.cache)
    }

    /// The run-cache key from the current deps, params and command; nil when a dep is missing.
    private func runKey(for stage: Stage) throws -> ContentHash? {
        var deps: [LockedPath] = []
        for path in invalidation.depPaths(of: stage) {
            guard let snap = try invalidation.hashing.snapshot(of: path) else { return nil }
            deps.append(snap)
        }
        return RunCache.key(cmd: invalidation.commandText(of: stage), deps: deps,
                            params: invalidation.paramsEntry(of: stage), outs: stage.outs.map(\.path))
    }

    /// Runs the stage's commands and returns its new lock entry (and run-cache key); never caches or locks
    /// partial outputs.
    private func execute(_ stage: Stage) throws -> (LockedStage, ContentHash?) {
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
        let params = invalidation.paramsEntry(of: stage)
        let cmd = invalidation.commandText(of: stage)
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
            let name = stage.name
            let events = self.events
            let outcome = try StageProcess().run(argv: argv, directory: dir, environment: env) { line, isErr in
                if isErr, let p = Self.progress(line) {
                    events(.progress(stage: name, done: p.done, total: p.total, message: p.message))
                } else {
                    events(.output(stage: name, line: line, isStderr: isErr))
                }
            }
            for out in stage.outs { invalidation.hashing.invalidate(out.path) }
            if let signal = SignalForwarding.receivedSignal {
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
        let entry = LockedStage(cmd: cmd, deps: deps, params: params, outs: outs)
        let key = Self.usesRunCache(stage) ? RunCache.key(cmd: cmd, deps: deps, params: params, outs: stage.outs.map(\.path)) : nil
        return (entry, key)
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
