import Foundation
import PipeBasics

/// `pipe push`, `fetch`, `pull` and `status --cloud`: the project's cached outs against its remotes.
extension Project {
    /// What a remote command is asked to do.
    public struct RemoteRequest: Sendable {
        /// Stages whose outs are concerned (all when empty).
        public var targets: [String] = []
        /// `-r NAME`: the remote for outs that name none (else the default remote).
        public var remote: String?
        /// `-j N`: concurrent transfers (else the remote's `jobs`, else 16 per core up to 64).
        public var jobs: Int?
        /// Also the outs of every commit's pipe.lock (`git rev-list --all`).
        public var allCommits = false
        /// Also the run cache's entries (and the objects they name), to and from the chosen remote.
        public var runCache = false
        /// Also the outs of every branch tip's pipe.lock (`-a/--all-branches`).
        public var allBranches = false
        /// Also the outs of every tag's pipe.lock (`-T/--all-tags`).
        public var allTags = false

        /// A request; every field has the default a bare command has.
        public init(targets: [String] = [], remote: String? = nil, jobs: Int? = nil, allCommits: Bool = false,
                    runCache: Bool = false, allBranches: Bool = false, allTags: Bool = false) {
            self.targets = targets
            self.remote = remote
            self.jobs = jobs
            self.allCommits = allCommits
            self.runCache = runCache
            self.allBranches = allBranches
            self.allTags = allTags
        }
    }

    /// The selected outs grouped by the remote each belongs to, with that remote opened.
    func remoteGroups(_ request: RemoteRequest, factory: RemoteStorageFactory)
        throws -> [(settings: RemoteSettings, storage: any RemoteStorage, items: [TransferSelection.Item])] {
        let config = try ProjectConfig.load(in: workspace)
        var locks = [KeptLock(source: "workspace", lock: try workspace.readLock())]
        if request.allCommits { locks += try LockHistory.locks(repoRoot: workspace.root) }
        if request.allBranches { locks += try RefLocks.locks(.branches, repoRoot: workspace.root) }
        if request.allTags { locks += try RefLocks.locks(.tags, repoRoot: workspace.root) }
        if let named = request.remote { _ = try config.remote(named: named) }
        let chosen = request.remote ?? config.defaultRemoteName ?? ""
        let selection = try TransferSelection.select(pipeline: pipeline, graph: graph, locks: locks,
                                                     targets: request.targets, defaultRemote: chosen)
        var groups: [(RemoteSettings, any RemoteStorage, [TransferSelection.Item])] = []
        for name in selection.remoteNames {
            let settings = try config.remote(named: name.isEmpty ? nil : name)
            let storage = try factory.open(settings, workspace)
            groups.append((settings, storage, selection.items.filter { $0.remote == name }))
        }
        return groups
    }

    /// `storage.probe`, its failure as the one-line configuration error of remote `settings.name`.
    static func probe(_ storage: any RemoteStorage, _ settings: RemoteSettings, forWriting: Bool) async throws {
        do { try await storage.probe(forWriting: forWriting) } catch {
            var failure = error.pipeError
            failure.message = "remote '\(settings.name)' (\(storage.displayName)): " + failure.message
            throw failure
        }
    }

    /// The remote `-r` names, else the default one, opened.
    func chosenRemote(_ request: RemoteRequest, factory: RemoteStorageFactory) throws -> (RemoteSettings, any RemoteStorage) {
        let settings = try ProjectConfig.load(in: workspace).remote(named: request.remote)
        return (settings, try factory.open(settings, workspace))
    }

    func transfer(for settings: RemoteSettings, _ storage: any RemoteStorage, _ request: RemoteRequest,
                          progress: @escaping @Sendable (Int64) -> Void) -> RemoteTransfer {
        var transfer = RemoteTransfer(store: ObjectStore(cacheRoot: workspace.cacheRoot), remote: storage,
                                      jobs: request.jobs ?? settings.jobs ?? RemoteStorageFactory.defaultJobs)
        transfer.progress = progress
        return transfer
    }

    /// Sends the selected outs' objects the remotes lack (outs marked `push: false` stay here).
    public func push(_ request: RemoteRequest, factory: RemoteStorageFactory,
                     progress: @escaping @Sendable (Int64) -> Void = { _ in }) async throws -> TransferReport {
        try await move(.push, request, factory: factory, progress: progress)
    }

    /// Downloads the selected outs' objects `.cache` lacks, each verified before it enters the cache; first
    /// removes the partial downloads an interrupted fetch left in `.cache/tmp`.
    public func fetch(_ request: RemoteRequest, factory: RemoteStorageFactory,
                      progress: @escaping @Sendable (Int64) -> Void = { _ in }) async throws -> TransferReport {
        let repoLock = try acquireLock()
        defer { _ = repoLock }
        ObjectStore(cacheRoot: workspace.cacheRoot).removeAbandonedDownloads()
        return try await move(.fetch, request, factory: factory, progress: progress)
    }

    private enum Direction { case push, fetch }

    /// Moves the outs of each remote group, then (with `--run-cache`) the run-cache entries, one way.
    private func move(_ direction: Direction, _ request: RemoteRequest, factory: RemoteStorageFactory,
                      progress: @escaping @Sendable (Int64) -> Void) async throws -> TransferReport {
        let writing = direction == .push
        var report = TransferReport()
        for (settings, storage, items) in try remoteGroups(request, factory: factory) {
            try await Self.probe(storage, settings, forWriting: writing)
            let transfer = transfer(for: settings, storage, request, progress: progress)
            report.merge(writing ? await transfer.push(items.filter(\.push))
                                 : missingAsFailures(await transfer.fetch(items), items, remote: settings.name))
        }
        if request.runCache {
            let (settings, storage) = try chosenRemote(request, factory: factory)
            try await Self.probe(storage, settings, forWriting: writing)
            let transfer = transfer(for: settings, storage, request, progress: progress)
            let runCache = RunCache(cacheRoot: workspace.cacheRoot)
            report.merge(writing ? await transfer.pushRunCache(runCache) : await transfer.fetchRunCache(runCache))
        }
        return report
    }

    /// A fetch's report with every object its remote lacks turned into a failure (exit 1, as `dvc pull` fails on
    /// them): the remote was meant to hold it. Outs kept off remotes (`push: false`) stay warnings.
    /// Linear in missing × items; each directory's manifest is read once.
    func missingAsFailures(_ fetched: TransferReport, _ items: [TransferSelection.Item], remote: String) -> TransferReport {
        var report = fetched
        report.missing = []
        let store = ObjectStore(cacheRoot: workspace.cacheRoot)
        var filesOfDirectory: [ContentHash: [String: String]] = [:]   // out hash → file path → object hex
        for path in fetched.missing {
            guard let item = items.first(where: { path == $0.out.path || path.hasPrefix($0.out.path + "/") }),
                  item.push else {
                report.missing.append(path)
                continue
            }
            var object = item.id.description
            if path != item.out.path {
                let files = filesOfDirectory[item.out.hash] ?? {
                    let entries = (try? store.manifest(for: item.out.hash))?.entries ?? []
                    let files = Dictionary(entries.map { (item.out.path + "/" + $0.path, $0.hash.hex) }) { first, _ in first }
                    filesOfDirectory[item.out.hash] = files
                    return files
                }()
                object = files[path] ?? object
            }
            report.failures.append(.init(object: object, path: path,
                                         reason: "not on remote '\(remote)'; push it from a clone whose cache has it"))
        }
        return report
    }

    /// Where each selected out is: in `.cache`, on its remote, both or neither. Outs marked `push: false` are
    /// left out, as `dvc status -c` leaves them out: no remote is meant to hold them, so they are never out of sync.
    public func cloudStatus(_ request: RemoteRequest, factory: RemoteStorageFactory) async throws -> CloudStatus {
        let store = ObjectStore(cacheRoot: workspace.cacheRoot)
        var entries: [CloudStatus.Entry] = []
        for (settings, storage, all) in try remoteGroups(request, factory: factory) {
            let items = all.filter(\.push)
            if items.isEmpty { continue }
            let present: Set<String>
            if let directory = storage as? DirectoryRemoteStorage, (try? SystemCall.status(directory.root)) == nil {
                present = []   // a directory remote the first push will create holds nothing yet (dvc: all "new")
            } else {
                try await Self.probe(storage, settings, forWriting: false)
                let transfer = transfer(for: settings, storage, request, progress: { _ in })
                do { present = try await transfer.remoteKeys(among: items.map(\.id)) } catch { throw error.pipeError }
            }
            for item in items {
                let local = store.contains(item.out.hash, isDirectory: item.out.isDirectory)
                let remote = present.contains(RemoteObjectKey.key(for: item.id))
                let state: CloudStatus.State = local ? (remote ? .inSync : .onlyLocal) : (remote ? .onlyRemote : .missing)
                entries.append(.init(stage: item.stage, path: item.out.path, remote: settings.name, state: state))
            }
        }
        let config = try ProjectConfig.load(in: workspace)
        return CloudStatus(entries: entries, chosenRemote: request.remote ?? config.defaultRemoteName ?? "")
    }
}
