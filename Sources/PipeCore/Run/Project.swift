import Foundation

/// A pipeline repository opened for work: the loaded pipeline, its graph, the lock and the hashing and cache
/// services, so each CLI command is one call.
public struct Project: Sendable {
    public let workspace: Workspace
    public let pipeline: Pipeline
    public let graph: StageGraph
    public let invalidation: StageInvalidation
    public let cache: any OutputCache

    /// Loads and validates the pipeline found at or above `start`. With `validateDeps`, every dependency must
    /// exist or be produced by a stage (off for `pipe lock --check`, which works without the data).
    public static func open(from start: URL, validateDeps: Bool = true) throws -> Project {
        let workspace = try Workspace.find(from: start)
        let pipeline = try PipelineLoader(repoRoot: workspace.root).load(file: workspace.pipelineFile)
        let graph = try StageGraph(pipeline: pipeline)
        if validateDeps {
            try PipelineValidator.checkDepsExist(pipeline, graph: graph, repoRoot: workspace.root)
        }
        var codeDeps: [String: [String]] = [:]
        let plugins = pipeline.stages.compactMap { stage -> (String, String)? in
            if case let .plugin(name, _) = stage.command { return (stage.name, name) }
            return nil
        }
        if !plugins.isEmpty {
            let description = try CodeDependencies.load(repoRoot: workspace.root, cacheRoot: workspace.cacheRoot)
            for (stage, plugin) in plugins { codeDeps[stage] = description.sourceDirectories(ofPlugin: plugin) }
        }
        let storage = try ProjectStorage(workspace: workspace)
        let invalidation = StageInvalidation(pipeline: pipeline, hashing: storage.hashing, codeDeps: codeDeps)
        return Project(workspace: workspace, pipeline: pipeline, graph: graph, invalidation: invalidation,
                       cache: storage.cache)
    }

    /// Takes the repository's writer lock for the lifetime of the returned value.
    public func acquireLock() throws -> RepoLock { try RepoLock(cacheRoot: workspace.cacheRoot) }

    /// Every stage's status (or the targets' and their upstream's), with reasons; `glob`: targets are patterns.
    public func status(targets: [String] = [], glob: Bool = false) throws -> [StageStatus] {
        defer { persistHashes() }
        return try PipelineStatus(pipeline: pipeline, graph: graph, lock: try workspace.readLock(),
                                  invalidation: invalidation).evaluate(targets: targets, glob: glob)
    }

    /// A reproducer wired to this project's cache and .gitignore handling.
    public func reproducer(events: @escaping @Sendable (ReproEvent) -> Void) throws -> Reproducer {
        let r = Reproducer(workspace: workspace, pipeline: pipeline, graph: graph, invalidation: invalidation,
                           cache: cache, events: events)
        let root = workspace.root
        let hashing = invalidation.hashing
        r.ignoreOutputs = { paths in try GitIgnoreUpdater.ignore(paths, repoRoot: root) }
        r.persistState = { (hashing as? WorkspaceHashing)?.save() }
        return r
    }

    /// `pipe lock --check`.
    public func lockCheck() throws -> LockCheckResult {
        defer { persistHashes() }
        let result = try LockFreshness(pipeline: pipeline, graph: graph, invalidation: invalidation)
            .check(try workspace.readLock())
        return LockCheckResult(verdicts: result.verdicts, orphanEntries: result.orphanEntries)
    }

    /// What `pipe checkout` did.
    public struct CheckoutResult: Sendable {
        public var restored: [String] = []
        public var unavailable: [String] = []
    }

    /// Restores locked cached outputs that are missing or differ from the lock.
    ///
    /// As in DVC, an output whose workspace content differs from the lock and is not in the cache (work that
    /// would be lost) is not overwritten without `force`: the whole checkout is refused (`.stale`, exit 1) before
    /// anything changes, naming every such output.
    public func checkout(targets: [String] = [], force: Bool = false) throws -> CheckoutResult {
        let lock = try workspace.readLock()
        var result = CheckoutResult()
        let names = targets.isEmpty ? graph.order : try graph.stageNames(targeting: targets)
        var toRestore: [LockedPath] = []
        var unsaved: [String] = []
        for name in names {
            guard let stage = pipeline.stage(named: name) else { throw PipelineStatus.unknownStage(name, in: pipeline) }
            guard let entry = lock.stages[name] else { continue }
            for out in stage.outs where out.cache {
                guard let locked = entry.out(out.path) else { continue }
                let now = try invalidation.hashing.snapshot(of: out.path)
                if let now, now.hash == locked.hash { continue }
                if let now, !force, !cache.canRestore(now) { unsaved.append(out.path) }
                toRestore.append(locked)
            }
        }
        if !unsaved.isEmpty {
            throw PipeError(.stale, "checkout would overwrite outputs modified since pipe.lock, whose content is not "
                            + "in the cache: " + unsaved.joined(separator: ", "),
                            fix: "`pipe commit -f` to keep the changes, or `pipe checkout --force` to discard them")
        }
        for locked in toRestore {
            if cache.canRestore(locked) {
                try cache.restore(locked)
                invalidation.hashing.invalidate(locked.path)
                result.restored.append(locked.path)
            } else {
                result.unavailable.append(locked.path)
            }
        }
        persistHashes()
        return result
    }

    /// Records the current state of stages in the lock and cache without running them; returns the stages
    /// committed. Fails when an output is missing.
    ///
    /// As `dvc commit` run without a terminal to confirm on: without `force`, a stage whose cmd, deps, params or
    /// outputs differ from its lock entry (or that has none) is refused (`.stale`, exit 1, naming each such stage
    /// and why) before anything is written; a stage that only lacks its outputs in `.cache` (after
    /// `repro --no-commit`) is committed.
    public func commit(targets: [String] = [], force: Bool = false) throws -> [String] {
        var lock = try workspace.readLock()
        let names = targets.isEmpty ? graph.order : try graph.stageNames(targeting: targets)
        if !force {
            var changed: [String] = []
            for name in names {
                guard let stage = pipeline.stage(named: name) else { continue }
                let reasons = try invalidation.reasons(for: stage, entry: lock.stages[name])
                    .filter { $0 != .alwaysChanged }
                if !reasons.isEmpty {
                    changed.append("'\(name)' (" + reasons.map(\.description).joined(separator: "; ") + ")")
                }
            }
            if !changed.isEmpty {
                throw PipeError(.stale, "cannot commit changed stage\(changed.count == 1 ? "" : "s") without --force: "
                                + changed.joined(separator: ", "),
                                fix: "`pipe commit -f` records the current state as is; `pipe repro` runs them instead")
            }
        }
        var committed: [String] = []
        for name in names {
            guard let stage = pipeline.stage(named: name) else { throw PipelineStatus.unknownStage(name, in: pipeline) }
            var deps: [LockedPath] = []
            for path in invalidation.depPaths(of: stage) {
                guard let snap = try invalidation.hashing.snapshot(of: path) else {
                    throw PipeError(.missingDep, "cannot commit '\(name)': dependency \(path) does not exist",
                                    fix: "run `pipe repro \(name)` instead", location: stage.location)
                }
                deps.append(snap)
            }
            var outs: [LockedPath] = []
            for out in stage.outs {
                guard let snap = try invalidation.hashing.snapshot(of: out.path) else {
                    throw PipeError(.stageFailed, "cannot commit '\(name)': output \(out.path) does not exist",
                                    fix: "run `pipe repro \(name)` instead", location: out.location ?? stage.location)
                }
                if out.cache { try cache.store(snap) }
                outs.append(snap)
            }
            let entry = LockedStage(cmd: invalidation.commandText(of: stage), deps: deps,
                                    params: invalidation.paramsEntry(of: stage), outs: outs)
            if lock.stages[name] != entry { committed.append(name) }
            lock.stages[name] = entry
            try GitIgnoreUpdater.ignore(stage.outs.filter(\.cache).map(\.path), repoRoot: workspace.root)
        }
        try workspace.writeLock(lock, keeping: Set(pipeline.stages.map(\.name)))
        persistHashes()
        return committed
    }

    private func persistHashes() { (invalidation.hashing as? WorkspaceHashing)?.save() }
}
