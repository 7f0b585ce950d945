import Foundation
import PipeBasics

/// `pipe gc --cloud`: removes the remote objects that no kept lock (workspace, experiments, and with
/// `--all-commits` every commit) and no remote run-cache entry names.
///
/// A directory's manifest is read from `.cache` when it is there, else downloaded (verified) to learn its files.
/// Linear in the remote's object count (one listing) plus one download per manifest not held locally.
public struct RemoteGarbageCollector: Sendable {
    /// What was (or, dry, would be) removed.
    public struct Report: Sendable, Equatable {
        /// Whether nothing was deleted.
        public var dry: Bool
        /// Object keys removed, sorted.
        public var removed: [String] = []
        /// Objects kept.
        public var kept = 0
        /// Bytes removed.
        public var bytes: Int64 = 0
        /// Problems that made the collector keep more than it had to.
        public var warnings: [String] = []
        /// The remote's name, when known (`pipe gc --cloud` sets it).
        public var remoteName = ""

        /// `removed 3 objects (1.2 MB) from remote 'store', kept 10`.
        public var summary: String {
            "\(dry ? "would remove" : "removed") \(removed.count) object\(removed.count == 1 ? "" : "s") "
                + "(\(ByteCount.text(bytes))) from \(remoteName.isEmpty ? "the remote" : "remote '\(remoteName)'"), kept \(kept)"
        }
    }

    /// The local store (for manifests and staging).
    public let store: ObjectStore
    /// The remote collected.
    public let remote: any RemoteStorage

    /// A collector of `remote`.
    public init(store: ObjectStore, remote: any RemoteStorage) {
        self.store = store
        self.remote = remote
    }

    /// Deletes (unless `dry`) every object under `objects/` that `locks` and the remote's run cache do not reach.
    ///
    /// - Throws: the remote's error when it cannot be listed or a delete fails; a manifest that cannot be read
    ///   keeps everything (a warning says why), since its files cannot be told apart from garbage.
    public func collect(keeping locks: [KeptLock], dry: Bool) async throws(RemoteError) -> Report {
        var report = Report(dry: dry)
        let listing = try await remote.list(prefix: RemoteObjectKey.objectsPrefix)
        var roots: [LockedPath] = locks.flatMap { $0.lock.stages.values.flatMap(\.outs) }
        for (key, _) in try await remote.list(prefix: RemoteObjectKey.runsPrefix) {
            guard let stage = await downloadEntry(key) else {
                report.warnings.append("\(key): unreadable run-cache entry; nothing was removed")
                return report
            }
            roots += stage.outs
        }
        var reachable = Set<String>()
        for out in roots {
            let id = ObjectStore.ObjectID(hash: out.hash, isDirectory: out.isDirectory)
            let key = RemoteObjectKey.key(for: id)
            guard reachable.insert(key).inserted, id.isDirectory else { continue }
            guard let manifest = await manifest(id, onRemote: listing[key] != nil) else {
                if listing[key] != nil {
                    report.warnings.append("\(key): manifest unreadable; nothing was removed")
                    return report
                }
                continue
            }
            for entry in manifest.entries {
                reachable.insert(RemoteObjectKey.key(for: ObjectStore.ObjectID(hash: entry.hash, isDirectory: false)))
            }
        }
        var garbage: [String] = []
        for (key, size) in listing.sorted(by: { $0.key < $1.key }) {
            if reachable.contains(key) || RemoteObjectKey.id(of: key) == nil { report.kept += 1; continue }
            garbage.append(key)
            report.bytes += size
        }
        report.removed = garbage
        if !dry {
            // manifests first, so a directory never stays listed while its files go
            let ordered = garbage.filter { $0.hasSuffix(ObjectStore.directorySuffix) } + garbage.filter { !$0.hasSuffix(ObjectStore.directorySuffix) }
            var start = 0
            while start < ordered.count {
                try await remote.delete(Array(ordered[start..<min(start + 1000, ordered.count)]))
                start += 1000
            }
        }
        return report
    }

    private func manifest(_ id: ObjectStore.ObjectID, onRemote: Bool) async -> DirectoryManifest? {
        if let local = try? store.manifest(for: id.hash) { return local }
        guard onRemote, let staged = try? store.stagingPath(for: id) else { return nil }
        defer { SystemCall.removeFileIfPresent(staged) }
        do throws(RemoteError) { try await remote.download(RemoteObjectKey.key(for: id), to: staged) } catch { return nil }
        return (try? store.checkStaged(staged, as: id)) ?? nil
    }

    private func downloadEntry(_ key: String) async -> LockedStage? {
        guard let staged = try? store.stagingPath(for: ObjectStore.ObjectID(hash: ContentHash(high: 0, low: 0), isDirectory: false)) else { return nil }
        defer { SystemCall.removeFileIfPresent(staged) }
        do throws(RemoteError) { try await remote.download(key, to: staged) } catch { return nil }
        return FileManager.default.contents(atPath: staged).flatMap(RunCache.parse)
    }
}

extension Project {
    /// `pipe gc --cloud`: collects the chosen remote (`-r`, else the default) and, as `dvc gc -c` does, every
    /// remote an out of the pipeline names with `remote:`, each keeping what `locks` name
    /// (`GarbageCollector.keptLocks`) — all of it on every remote (DVC keeps on each remote only the outs
    /// assigned to it; keeping more never loses data a lock needs).
    ///
    /// Every remote is opened and probed before any is collected, and before `afterProbing` runs (the CLI collects
    /// `.cache` there, as `dvc gc -c` collects it before the remotes), so a bad one stops the command with nothing
    /// removed. One report per remote, the chosen one first.
    public func collectRemotes(_ request: RemoteRequest, keeping locks: [KeptLock], dry: Bool,
                               factory: RemoteStorageFactory,
                               afterProbing: () throws -> Void = {}) async throws -> [RemoteGarbageCollector.Report] {
        let config = try ProjectConfig.load(in: workspace)
        var names = [try config.remote(named: request.remote).name]
        for stage in pipeline.stages {
            for out in stage.outs { if let name = out.remote, !names.contains(name) { names.append(name) } }
        }
        var opened: [(RemoteSettings, any RemoteStorage)] = []
        for name in names {
            let settings = try config.remote(named: name)
            let storage = try factory.open(settings, workspace)
            try await Self.probe(storage, settings, forWriting: false)
            opened.append((settings, storage))
        }
        try afterProbing()
        var reports: [RemoteGarbageCollector.Report] = []
        for (settings, storage) in opened {
            do {
                var report = try await RemoteGarbageCollector(store: ObjectStore(cacheRoot: workspace.cacheRoot), remote: storage)
                    .collect(keeping: locks, dry: dry)
                report.remoteName = settings.name
                reports.append(report)
            } catch {
                throw error.pipeError
            }
        }
        return reports
    }
}
