/// The split of the run cache that garbage collection makes: entries kept (with the objects they name) and
/// entries deleted, each with why.
///
/// An entry is usable only when every output object it names is in the store (a directory: its manifest and
/// every file the manifest lists) — exactly what `repro` requires before restoring from it — so deleting an
/// unusable entry never loses a restore that could have happened.
public struct RunCacheRetention: Sendable {
    /// An entry to delete and why (`damaged`, `object … is gone`, `--drop-run-cache`).
    public struct Dropped: Sendable, Equatable {
        /// The run key.
        public var key: ContentHash
        /// Why it goes, for the report.
        public var reason: String
    }

    /// Entries kept, as locks whose outputs gc keeps (deps are not needed to restore a run, so not kept).
    public private(set) var kept: [KeptLock] = []
    /// Entries to delete.
    public private(set) var dropped: [Dropped] = []

    /// Sorts `entries` under `policy`, checking object presence in the store of `manifests`.
    public init(entries: [RunCache.Entry], policy: RunCachePolicy, manifests: inout ManifestMemo) {
        for entry in entries {
            guard policy == .keep else {
                dropped.append(Dropped(key: entry.key, reason: "--drop-run-cache given"))
                continue
            }
            guard let stage = entry.stage else {
                dropped.append(Dropped(key: entry.key, reason: "damaged entry"))
                continue
            }
            if let missing = stage.outs.first(where: { !manifests.contains($0.hash, isDirectory: $0.isDirectory) }) {
                dropped.append(Dropped(key: entry.key, reason: "output \(missing.path) is no longer in the cache"))
                continue
            }
            let outsOnly = LockedStage(cmd: stage.cmd, deps: [], params: stage.params, outs: stage.outs)
            kept.append(KeptLock(source: "run cache \(entry.key.hex.prefix(7))", lock: LockFile(stages: ["run": outsOnly])))
        }
    }
}
