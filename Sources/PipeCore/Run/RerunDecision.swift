import Foundation

/// What repro does with a stage once its upstream is done, with the reasons that led there.
enum RerunDecision {
    case upToDate
    case frozen
    /// Missing or modified cached outputs were restored from the cache; the paths restored.
    case restored([String])
    /// An identical earlier run's outputs were restored from the run cache; its lock entry.
    case runCacheHit(LockedStage, [InvalidationReason])
    case dryRun([InvalidationReason])
    case run([InvalidationReason])
}

/// Decides a stage's fate from the workspace as its upstream left it, restoring outputs when that is enough: from
/// the cache when only cached outputs are missing or modified, else from the run cache when this exact run
/// (`RunCache.key`) happened before and every object it names verifies.
struct RerunDecider: Sendable {
    let invalidation: StageInvalidation
    let cache: any OutputCache
    let runCache: RunCache

    /// The decision for `stage`, whose lock entry is `entry` and whose upstream stages `upstreamWillChange`
    /// would run in a dry run.
    func decide(_ stage: Stage, entry: LockedStage?, upstreamWillChange: [String], options: ReproOptions) throws -> RerunDecision {
        if stage.frozen { return .frozen }
        var reasons = try invalidation.reasons(for: stage, entry: entry)
        reasons += upstreamWillChange.map { .upstreamStale(stage: $0) }
        let forced = options.force && (options.targets.isEmpty || !options.singleItem || options.targets.contains(stage.name))
        if forced { reasons.append(.forced) }
        if reasons.isEmpty { return .upToDate }
        if options.allowMissing, let entry, reasons.allSatisfy({ Self.isMissingData($0, entry: entry) }) {
            return .upToDate
        }
        if options.dry { return .dryRun(reasons) }
        let source = options.missingObjects
        // As in DVC, where the run cache restores the outputs: only for a stage it would record
        if reasons.allSatisfy(\.isOutputOnly), usesRunCache(stage), let entry,
           let paths = try restoreOutputs(of: stage, entry: entry, reasons: reasons, source: source) {
            return .restored(paths)
        }
        if options.useRunCache && !forced, let hit = try runCacheHit(for: stage, source: source) {
            return .runCacheHit(hit, reasons)
        }
        return .run(reasons)
    }

    /// Whether `reason` is only data absent from this workspace that the lock entry records (`--allow-missing`).
    static func isMissingData(_ reason: InvalidationReason, entry: LockedStage) -> Bool {
        switch reason {
        case let .outMissing(path): entry.out(path) != nil
        case let .depMissing(path): entry.deps.contains { $0.path == path }
        default: false
        }
    }

    /// Whether the run cache records and restores `stage`, as DVC's `_can_hash` decides: not always-changed, with
    /// at least one dependency (a dep or a param) and one output, and no `persist: true` output (a persisted output
    /// carries state from earlier runs, so an old run's copy of it is not what a rerun would make).
    /// Uncached (`cache: false`) outputs are stored in the object store for it (`recordRun`).
    func usesRunCache(_ stage: Stage) -> Bool {
        !stage.changesEveryRun && !stage.outs.isEmpty && !stage.outs.contains(where: \.persist)
            && !(stage.params.isEmpty && invalidation.depPaths(of: stage).isEmpty)
    }

    /// The run-cache key from the current deps, params and command; nil when a dep is missing.
    func runKey(for stage: Stage) throws -> ContentHash? {
        var deps: [LockedPath] = []
        for path in invalidation.depPaths(of: stage) {
            guard let snap = try invalidation.hashing.snapshot(of: path) else { return nil }
            deps.append(snap)
        }
        return RunCache.key(cmd: invalidation.commandText(of: stage), deps: deps,
                            params: invalidation.paramsEntry(of: stage), outs: stage.outs.map(\.path))
    }

    /// Records a successful run of `stage` (entry `entry`, its deps hashed before it ran) in the run cache: the
    /// uncached outputs' contents are copied into the object store first, so an entry never names content that
    /// was not stored. Best effort: a failure only costs a future rerun.
    func recordRun(of stage: Stage, entry: LockedStage) {
        guard usesRunCache(stage) else { return }
        do {
            for out in stage.outs where !out.cache {
                guard let locked = entry.out(out.path) else { return }
                try cache.storeCopy(locked)
            }
            let key = RunCache.key(cmd: entry.cmd, deps: entry.deps, params: entry.params, outs: stage.outs.map(\.path))
            try runCache.record(entry, for: key)
        } catch {
            return
        }
    }

    /// Restores missing or modified outputs from the cache and returns their paths; nil (nothing restored) when
    /// any of them cannot be restored.
    private func restoreOutputs(of stage: Stage, entry: LockedStage, reasons: [InvalidationReason],
                                source: (any MissingObjectSource)?) throws -> [String]? {
        var paths: [String] = []
        for reason in reasons {
            switch reason {
            case let .outMissing(p), let .outModified(p): paths.append(p)
            default: return nil
            }
        }
        var locked: [LockedPath] = []
        for p in paths {
            guard let out = stage.outs.first(where: { $0.path == p }), out.cache, let l = entry.out(p) else { return nil }
            locked.append(l)
        }
        guard canRestore(locked, of: stage, source: source) else { return nil }
        for out in locked { try restore(out, cached: true) }
        return paths
    }

    /// The lock entry of an identical earlier run whose outputs all verify in the store, restored (cached ones
    /// linked, uncached ones as writable copies); nil otherwise. Nothing is restored unless every object verifies,
    /// so a damaged or missing object is a miss, never a partial or wrong restore.
    private func runCacheHit(for stage: Stage, source: (any MissingObjectSource)?) throws -> LockedStage? {
        guard usesRunCache(stage), let key = try runKey(for: stage) else { return nil }
        if runCache.lookup(key) == nil { source?.fetchRunEntry(key, of: stage.name) }
        guard let entry = runCache.lookup(key),
              Set(entry.outs.map(\.path)) == Set(stage.outs.map(\.path)),
              canRestore(entry.outs, of: stage, source: source) else { return nil }
        for out in entry.outs {
            try restore(out, cached: stage.outs.first { $0.path == out.path }?.cache ?? true)
        }
        return entry
    }

    /// Whether every one of `outs` can be restored from the store, once `source` (when given) has fetched those
    /// the store lacks.
    private func canRestore(_ outs: [LockedPath], of stage: Stage, source: (any MissingObjectSource)?) -> Bool {
        let absent = outs.filter { !cache.canRestore($0) }
        guard !absent.isEmpty else { return true }
        guard let source else { return false }
        source.fetch(absent, of: stage.name)
        return absent.allSatisfy(cache.canRestore)
    }

    /// Checks out `out` from the store (a link when cached, a writable copy when not) and forgets its memoised
    /// hash.
    private func restore(_ out: LockedPath, cached: Bool) throws {
        if cached { try cache.restore(out) } else { try cache.restoreCopy(out) }
        invalidation.hashing.invalidate(out.path)
    }
}
