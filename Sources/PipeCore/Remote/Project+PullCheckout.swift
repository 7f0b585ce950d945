import Foundation

/// The checkout half of `pipe pull`: the selected outs (stages or out paths, as the fetch selected them) put in
/// the workspace, refusing, as `dvc pull` does, to overwrite an out whose workspace content is in no cache.
extension Project {
    /// What the checkout of a pull did.
    public struct PullCheckout: Sendable, Equatable {
        /// Out paths restored from the cache, in lock order.
        public var restored: [String] = []
    }

    /// Restores the cached outs `targets` select (all when empty) that are missing or differ from `pipe.lock`
    /// and that `.cache` holds; an out `.cache` lacks is left as it is (the fetch has already reported it).
    ///
    /// An out that exists and differs from the lock while its current content is not in `.cache` would be lost
    /// by the restore: without `force` nothing is restored and the error lists every such out (DVC: "Can't
    /// remove the following unsaved files without confirmation. Use `--force` to force.").
    ///
    /// - Throws: `.transferFailed` (exit 1) naming the unsaved outs; `.unknownStage` for a target that is neither
    ///   a stage nor an out; `.repoLocked` while another command holds the repository.
    public func checkoutPulled(targets: [String], force: Bool) throws -> PullCheckout {
        let repoLock = try acquireLock()   // as `pipe checkout`: no repro may write outs meanwhile
        defer { _ = repoLock }
        let lock = try workspace.readLock()
        let resolved = try TransferSelection.resolve(targets, pipeline: pipeline, graph: graph)
        let store = ObjectStore(cacheRoot: workspace.cacheRoot)
        var pending: [LockedPath] = []
        var unsaved: [String] = []
        for name in targets.isEmpty ? graph.order : resolved.stages {
            guard let stage = pipeline.stage(named: name), let entry = lock.stages[name] else { continue }
            for out in stage.outs where out.cache {
                if let only = resolved.outs[name], !only.contains(out.path) { continue }
                guard let locked = entry.out(out.path) else { continue }
                let now = try invalidation.hashing.snapshot(of: out.path)
                if let now, now.hash == locked.hash && now.isDirectory == locked.isDirectory { continue }
                guard cache.canRestore(locked) else { continue }
                if let now, !store.contains(now.hash, isDirectory: now.isDirectory) {
                    unsaved += now.isDirectory ? try unsavedFiles(in: out.path, store: store) : [out.path]
                }
                pending.append(locked)
            }
        }
        unsaved.sort()
        if !unsaved.isEmpty && !force {
            throw PipeError(.transferFailed,
                            "pull would overwrite \(unsaved.count == 1 ? "an out" : "outs") modified in the workspace and not in the cache: "
                                + unsaved.joined(separator: ", "),
                            fix: "keep the changes with `pipe commit`, or pass --force to discard them")
        }
        var result = PullCheckout()
        for out in pending {
            try cache.restore(out)
            invalidation.hashing.invalidate(out.path)
            result.restored.append(out.path)
        }
        (invalidation.hashing as? WorkspaceHashing)?.save()
        return result
    }

    /// The files under the directory out `path` whose content `.cache` does not hold: what restoring the
    /// directory would lose (a file deleted from it loses nothing; an edited or added one does). O(files),
    /// hashed through the state index, so unchanged files are not read again.
    private func unsavedFiles(in path: String, store: ObjectStore) throws -> [String] {
        let root = workspace.root.appendingPathComponent(path).path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [path] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let full = path + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            guard let snapshot = try invalidation.hashing.snapshot(of: full),
                  store.contains(snapshot.hash, isDirectory: false) else {
                files.append(full)
                continue
            }
        }
        return files
    }
}
