import Foundation

/// `pipe repro --pull`: the project's remotes as the repro's `MissingObjectSource`, so a stage whose outs (or
/// whose exact run) a teammate already pushed is restored instead of rerun.
///
/// `prepare()` opens and probes every remote the pipeline's outs use, so bad configuration or credentials fail
/// the command before any stage is looked at; the fetches then happen one stage at a time, on the repro's
/// scheduling thread, each verified before it enters the cache like any `pipe fetch`.
public final class RemotePull: MissingObjectSource, @unchecked Sendable {
    private let project: Project
    private let request: Project.RemoteRequest
    private let factory: RemoteStorageFactory
    private let state = NSLock()
    private var opened: [String: (settings: RemoteSettings, storage: any RemoteStorage)] = [:]
    private var fetched = TransferReport()
    private var defaultName = ""

    /// A source over `project`'s remotes (`request.remote` for outs that name none, else the default remote).
    public init(project: Project, request: Project.RemoteRequest, factory: RemoteStorageFactory) {
        self.project = project
        self.request = request
        self.factory = factory
    }

    /// What was fetched so far, and what failed.
    public var report: TransferReport { state.withLock { fetched } }

    /// Opens and probes the remotes the selected outs use.
    ///
    /// - Throws: `.remoteConfig` for a missing or misconfigured remote or refused credentials (exit 2).
    public func prepare() async throws {
        let config = try ProjectConfig.load(in: project.workspace)
        if let named = request.remote { _ = try config.remote(named: named) }
        defaultName = request.remote ?? config.defaultRemoteName ?? ""
        var names: Set<String> = [defaultName]
        for stage in project.pipeline.stages { for out in stage.outs { if let r = out.remote { names.insert(r) } } }
        for name in names.sorted() {
            let settings = try config.remote(named: name.isEmpty ? nil : name)
            let storage = try factory.open(settings, project.workspace)
            try await Project.probe(storage, settings, forWriting: false)
            opened[name] = (settings, storage)
        }
    }

    public func fetch(_ outs: [LockedPath], of stage: String) {
        let declared = project.pipeline.stage(named: stage)
        var groups: [String: [TransferSelection.Item]] = [:]
        for out in outs {
            let remote = declared?.outs.first { $0.path == out.path }?.remote ?? defaultName
            groups[remote, default: []].append(
                .init(stage: stage, out: out, remote: remote, push: true, source: "repro --pull"))
        }
        for (name, items) in groups.sorted(by: { $0.key < $1.key }) {
            guard let transfer = transfer(name) else { continue }
            record(Self.waiting { await transfer.fetch(items) })
        }
    }

    public func fetchRunEntry(_ key: ContentHash, of stage: String) {
        guard let transfer = transfer(defaultName) else { return }
        let runs = RunCache(cacheRoot: project.workspace.cacheRoot)
        var report = Self.waiting { await transfer.fetchRunEntry(key, into: runs) }
        report.missing = []    // no entry for this run on the remote: the stage simply runs
        record(report)
    }

    private func transfer(_ name: String) -> RemoteTransfer? {
        guard let (settings, storage) = opened[name] else { return nil }
        return project.transfer(for: settings, storage, request, progress: { _ in })
    }

    private func record(_ report: TransferReport) {
        state.withLock { fetched.merge(report) }
    }

    /// Runs `operation` on the concurrency pool and blocks this thread until it ends. Only for a thread outside
    /// the pool (the repro's scheduling thread), which is why the CLI runs a pulling repro on a thread of its own.
    static func waiting<T: Sendable>(_ operation: @escaping @Sendable () async -> T) -> T {
        let result = ResultSlot<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            result.value = await operation()
            done.signal()
        }
        done.wait()
        return result.value!
    }
}

/// One value handed from a task to the thread waiting for it (the semaphore orders the write before the read).
private final class ResultSlot<T>: @unchecked Sendable {
    var value: T?
}
