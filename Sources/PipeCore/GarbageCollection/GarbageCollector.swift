import Foundation
import Glibc
import PipeBasics

/// `pipe gc`: removes cache objects that no kept lock names — the workspace `pipe.lock`, every recorded
/// experiment's lock and, with `allCommits`, every `pipe.lock` in git history — and no usable run-cache entry
/// names (unless the run cache is dropped).
///
/// The caller holds the repository lock, so no repro is saving objects meanwhile.
public struct GarbageCollector: Sendable {
    /// The repository whose cache is collected.
    public let workspace: Workspace
    /// Its object store.
    public let store: ObjectStore

    /// A collector over the cache of `workspace`.
    public init(workspace: Workspace) {
        self.workspace = workspace
        store = ObjectStore(cacheRoot: workspace.cacheRoot)
    }

    /// The locks to keep: the workspace's, each experiment's, then (with `allCommits`) git history's, (with
    /// `allBranches`) every branch tip's and (with `allTags`) every tag's.
    ///
    /// - Throws: the parse error of any kept lock that is damaged — gc never guesses what a lock names.
    public func keptLocks(allCommits: Bool, allBranches: Bool = false, allTags: Bool = false) throws -> [KeptLock] {
        var locks = [KeptLock(source: "workspace", lock: try workspace.readLock())]
        for record in try ExperimentStore(cacheRoot: workspace.cacheRoot).all() {
            locks.append(KeptLock(source: "experiment \(record.name)",
                                  lock: try LockFile.parse(record.lock, file: ".cache/exps/\(record.id).json (lock)")))
        }
        if allCommits { locks += try LockHistory.locks(repoRoot: workspace.root) }
        if allBranches { locks += try RefLocks.locks(.branches, repoRoot: workspace.root) }
        if allTags { locks += try RefLocks.locks(.tags, repoRoot: workspace.root) }
        return locks
    }

    /// Removes (unless `dry`) every object named neither by `locks` nor by a run-cache entry that `runCache`
    /// keeps, then empty fan-out directories and stale temporaries. Run-cache entries that go (see
    /// `RunCacheRetention`) are deleted before any object, so an interrupted gc never leaves an entry naming a
    /// removed object that it did not already name.
    public func collect(keeping locks: [KeptLock], runCache policy: RunCachePolicy = .keep, dry: Bool) throws -> GarbageReport {
        let runs = RunCache(cacheRoot: workspace.cacheRoot)
        var manifests = ManifestMemo(store: store)
        let retention = RunCacheRetention(entries: try runs.allEntries(), policy: policy, manifests: &manifests)
        if !dry { for entry in retention.dropped { try runs.remove(entry.key) } }
        let reachable = ReachableObjects(locks: locks, manifests: &manifests)
        let runReachable = ReachableObjects(locks: retention.kept, manifests: &manifests)
        var report = GarbageReport(dry: dry, sources: locks.map(\.source))
        report.warnings = reachable.warnings + runReachable.warnings
        report.runCacheEntriesKept = retention.kept.count
        report.runCacheEntriesRemoved = retention.dropped
        let all = try store.allObjectHashes()
        for object in all.sorted(by: { $0.description < $1.description }) {
            let size = Self.size(of: store.objectPath(for: object.hash, isDirectory: object.isDirectory))
            let namedByLock = reachable.objects.contains(object)
            if namedByLock || runReachable.objects.contains(object) {
                report.keptObjects += 1
                report.keptBytes += size
                if !namedByLock {
                    report.runCacheOnlyObjects += 1
                    report.runCacheOnlyBytes += size
                }
                continue
            }
            if !dry { try store.remove(object.hash, isDirectory: object.isDirectory) }
            report.removed.append(object.description)
            report.removedBytes += size
        }
        if !dry {
            try store.removeStaleTemporaries()
            Self.removeEmptyFanOutDirectories(store.objectsURL.path)
        }
        return report
    }

    static func size(of path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// `rmdir` of each `objects/xx` left empty (a non-empty one simply stays).
    static func removeEmptyFanOutDirectories(_ root: String) {
        guard let names = try? SystemCall.listDirectory(root) else { return }
        for name in names where name.utf8.count == 2 { SystemCall.removeEmptyDirectory(root + "/" + name) }
    }
}
