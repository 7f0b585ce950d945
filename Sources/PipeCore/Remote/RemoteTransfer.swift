import PipeBasics
import Foundation

/// Moves cache objects between `.cache` and one remote: only what the other side lacks, up to `jobs` at once,
/// files before the manifests that list them, every download verified before it enters `.cache`.
///
/// A failure of one object never stops the others: the report lists each with its reason.
public struct RemoteTransfer: Sendable {
    /// The local object store.
    public let store: ObjectStore
    /// The remote side.
    public let remote: any RemoteStorage
    /// How many objects move at once.
    public let jobs: Int
    /// Called after each object moves (for progress lines); receives its byte count.
    public var progress: @Sendable (Int64) -> Void = { _ in }

    /// Up to this many objects are looked up one by one (HEAD); more, and the remote's `objects/` is listed once
    /// (a ListObjectsV2 page holds 1,000 keys, so a listing is cheaper once a push names a few dozen objects).
    public static let lookupLimit = 32

    /// A transfer between `store` and `remote`, `jobs` objects at a time.
    public init(store: ObjectStore, remote: any RemoteStorage, jobs: Int) {
        self.store = store
        self.remote = remote
        self.jobs = max(1, jobs)
    }

    // MARK: push

    /// Sends the objects of `items` that the remote lacks: a directory's files first, its manifest only once they
    /// are all there. Items whose objects are not in the local cache are reported as missing.
    ///
    /// A directory whose manifest the remote already holds is complete there (manifests go last), so its files
    /// are not looked up one by one: a no-op push of a 10,000-file directory is one request, not a listing.
    public func push(_ items: [TransferSelection.Item]) async -> TransferReport {
        var report = TransferReport()
        var files: [(id: ObjectStore.ObjectID, size: Int64, path: String)] = []
        var manifests: [(id: ObjectStore.ObjectID, files: [ContentHash], path: String)] = []
        var seenFiles = Set<ContentHash>()
        let completeDirectories: Set<String>
        do {
            completeDirectories = try await remoteKeys(among: items.filter(\.id.isDirectory).map(\.id))
        } catch {
            report.failures = items.map { .init(object: $0.id.description, path: $0.out.path, reason: error.message) }
            return report
        }
        for item in items {
            if item.id.isDirectory, completeDirectories.contains(RemoteObjectKey.key(for: item.id)) {
                guard let manifest = try? store.manifest(for: item.out.hash) else {
                    report.alreadyPresent += 1
                    continue
                }
                let newFiles = manifest.entries.filter { seenFiles.insert($0.hash).inserted }
                report.alreadyPresent += 1 + newFiles.count
            } else if item.id.isDirectory {
                guard store.objectExists(item.out.hash, isDirectory: true),
                      let manifest = try? store.manifest(for: item.out.hash),
                      manifest.entries.allSatisfy({ store.objectExists($0.hash, isDirectory: false) }) else {
                    report.missing.append(item.out.path)
                    continue
                }
                for entry in manifest.entries where seenFiles.insert(entry.hash).inserted {
                    files.append((ObjectStore.ObjectID(hash: entry.hash, isDirectory: false), entry.size,
                                  item.out.path + "/" + entry.path))
                }
                manifests.append((item.id, manifest.entries.map(\.hash), item.out.path))
            } else {
                guard store.objectExists(item.out.hash, isDirectory: false) else {
                    report.missing.append(item.out.path)
                    continue
                }
                if seenFiles.insert(item.out.hash).inserted { files.append((item.id, item.out.size, item.out.path)) }
            }
        }
        let present: Set<String>
        do {
            present = try await remoteKeys(among: files.map(\.id))   // manifests: known absent from the first query
        } catch {
            report.failures = (files.map { ($0.id, $0.path) } + manifests.map { ($0.id, $0.path) }).map {
                TransferReport.Failure(object: $0.0.description, path: $0.1, reason: error.message)
            }
            return report
        }
        let toSend = files.filter { !present.contains(RemoteObjectKey.key(for: $0.id)) }
        report.alreadyPresent += files.count - toSend.count
        let fileFailures = await upload(toSend.map { ($0.id, $0.size, $0.path) }, into: &report)
        var toSendManifests: [(ObjectStore.ObjectID, Int64, String)] = []
        for manifest in manifests {
            if manifest.files.contains(where: { fileFailures.contains($0) }) {
                report.failures.append(.init(object: manifest.id.description, path: manifest.path,
                                             reason: "not sent: some of its files failed"))
                continue
            }
            let size = (try? SystemCall.status(store.objectPath(for: manifest.id.hash, isDirectory: true)))?.size ?? 0
            toSendManifests.append((manifest.id, size, manifest.path))
        }
        _ = await upload(toSendManifests, into: &report)
        return report
    }

    private func upload(_ objects: [(ObjectStore.ObjectID, Int64, String)], into report: inout TransferReport) async -> Set<ContentHash> {
        let results = await Self.concurrently(objects, limit: jobs) { object -> (Int64, String?) in
            let (id, size, _) = object
            let path = store.objectPath(for: id.hash, isDirectory: id.isDirectory)
            let key = RemoteObjectKey.key(for: id)
            do throws(RemoteError) {
                if size <= Self.inMemoryLimit {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw RemoteError(.transfer, "cannot read the cached object", key: key)
                    }
                    try await remote.write([UInt8](data), to: key)
                } else {
                    try await remote.upload(file: path, size: size, to: key)
                }
            } catch {
                return (0, error.message)
            }
            progress(size)
            return (size, nil)
        }
        var failed = Set<ContentHash>()
        for (object, result) in zip(objects, results) {
            if let reason = result.1 {
                failed.insert(object.0.hash)
                report.failures.append(.init(object: object.0.description, path: object.2, reason: reason))
            } else {
                report.transferred += 1
                report.bytes += result.0
            }
        }
        return failed
    }

    /// The keys among `ids`' that the remote holds: a HEAD each for a few, one listing of `objects/` for many.
    func remoteKeys(among ids: [ObjectStore.ObjectID]) async throws(RemoteError) -> Set<String> {
        let keys = ids.map(RemoteObjectKey.key(for:))
        if keys.count > Self.lookupLimit {
            return Set(try await remote.list(prefix: RemoteObjectKey.objectsPrefix).keys)
        }
        let found = await Self.concurrently(keys, limit: jobs) { key -> Result<Bool, RemoteError> in
            do throws(RemoteError) { return .success(try await remote.exists(key)) } catch { return .failure(error) }
        }
        var present = Set<String>()
        for (key, result) in zip(keys, found) {
            switch result {
            case .success(true): present.insert(key)
            case .success(false): break
            case let .failure(error): throw error
            }
        }
        return present
    }

    // MARK: fetch

    /// Files up to this size move as whole in-memory bodies: pushed with one read, fetched into memory, verified
    /// there and committed to `.cache` in batches (`ObjectIntake`: two file-system syncs per batch). Larger ones
    /// stream from and to files of their own.
    public static let inMemoryLimit: Int64 = 1 << 20

    /// Downloads the objects of `items` that `.cache` lacks, verifying each before it takes its name; a
    /// directory's manifest first (to learn its files), its files next, the manifest entering the store last.
    public func fetch(_ items: [TransferSelection.Item]) async -> TransferReport {
        var report = TransferReport()
        var files: [(id: ObjectStore.ObjectID, size: Int64, path: String)] = []
        var seenFiles = Set<ContentHash>()
        var pendingManifests: [(id: ObjectStore.ObjectID, staged: String, files: [ContentHash], path: String)] = []
        func want(_ hash: ContentHash, size: Int64, path: String) {
            guard seenFiles.insert(hash).inserted else { return }
            if store.objectExists(hash, isDirectory: false) { report.alreadyPresent += 1 } else {
                files.append((ObjectStore.ObjectID(hash: hash, isDirectory: false), size, path))
            }
        }
        for item in items {
            guard item.id.isDirectory else { want(item.out.hash, size: item.out.size, path: item.out.path); continue }
            if let manifest = try? store.manifest(for: item.out.hash) {
                report.alreadyPresent += 1
                for entry in manifest.entries { want(entry.hash, size: entry.size, path: item.out.path + "/" + entry.path) }
                continue
            }
            do throws(PipeError) {
                let staged = try store.stagingPath(for: item.id)
                do throws(RemoteError) {
                    try await remote.download(RemoteObjectKey.key(for: item.id), to: staged)
                } catch {
                    if error.kind == .notFound { report.missing.append(item.out.path) } else {
                        report.failures.append(.init(object: item.id.description, path: item.out.path, reason: error.message))
                    }
                    continue
                }
                let manifest: DirectoryManifest
                do { manifest = try store.checkStaged(staged, as: item.id)! } catch { SystemCall.removeFileIfPresent(staged); throw error }
                report.bytes += Int64(manifest.serialized().count)
                for entry in manifest.entries { want(entry.hash, size: entry.size, path: item.out.path + "/" + entry.path) }
                pendingManifests.append((item.id, staged, manifest.entries.map(\.hash), item.out.path))
            } catch {
                report.failures.append(.init(object: item.id.description, path: item.out.path, reason: error.message))
            }
        }
        let intake = ObjectIntake(store: store)
        let results = await Self.concurrently(files, limit: jobs) { file -> (Int64, RemoteError?) in
            let key = RemoteObjectKey.key(for: file.id)
            do throws(RemoteError) {
                let size = file.size <= Self.inMemoryLimit
                    ? try await fetchIntoMemory(key, as: file.id, into: intake)
                    : try await fetchIntoFile(key, as: file.id, size: file.size)
                progress(size)
                return (size, nil)
            } catch {
                return (0, error)
            }
        }
        var commitFailure = "not in the cache after the download"
        do { try intake.commit() } catch {
            intake.discard()
            commitFailure = error.message
        }
        var failed = Set<ContentHash>()
        for (file, result) in zip(files, results) {
            // a batch whose commit failed took its objects with it: a download that went well is checked too
            let error = result.1 ?? (store.objectExists(file.id.hash, isDirectory: false) ? nil
                                     : RemoteError(.transfer, commitFailure, key: RemoteObjectKey.key(for: file.id)))
            if let error {
                failed.insert(file.id.hash)
                if error.kind == RemoteError.Kind.notFound { report.missing.append(file.path) } else {
                    report.failures.append(.init(object: file.id.description, path: file.path, reason: error.message))
                }
            } else {
                report.transferred += 1
                report.bytes += result.0
            }
        }
        for manifest in pendingManifests {
            guard !manifest.files.contains(where: { failed.contains($0) }) else {
                SystemCall.removeFileIfPresent(manifest.staged)
                continue
            }
            do {
                try store.adopt(manifest.staged, as: manifest.id)
                report.transferred += 1
            } catch {
                report.failures.append(.init(object: manifest.id.description, path: manifest.path, reason: error.message))
            }
        }
        return report
    }

    /// A small file: its bytes read into memory, verified and staged in `intake` (named at its next commit).
    private func fetchIntoMemory(_ key: String, as id: ObjectStore.ObjectID,
                                 into intake: ObjectIntake) async throws(RemoteError) -> Int64 {
        let bytes = try await remote.read(key, limit: Int(Self.inMemoryLimit))
        do { try intake.stage(bytes, as: id) } catch { throw RemoteError(.transfer, error.message, key: key) }
        return Int64(bytes.count)
    }

    /// A large file: streamed to a staging file, then verified and moved into the store.
    private func fetchIntoFile(_ key: String, as id: ObjectStore.ObjectID, size: Int64) async throws(RemoteError) -> Int64 {
        let staged: String
        do { staged = try store.stagingPath(for: id) } catch { throw RemoteError(.transfer, error.message, key: key) }
        let hash: ContentHash?
        do {
            hash = try await remote.download(key, to: staged, size: size)
        } catch {
            SystemCall.removeFileIfPresent(staged)
            throw error
        }
        let size = (try? SystemCall.status(staged))?.size ?? 0
        do { try store.adopt(staged, as: id, hash: hash) } catch { throw RemoteError(.transfer, error.message, key: key) }
        return size
    }

    // MARK: concurrency

    /// `body` over `items` with at most `limit` running at once; results in `items`' order. Also what the S3
    /// storage runs a ranged download's parts with.
    public static func concurrently<T: Sendable, R: Sendable>(_ items: [T], limit: Int,
                                                       _ body: @escaping @Sendable (T) async -> R) async -> [R] {
        await withTaskGroup(of: (Int, R).self) { group in
            var results = [R?](repeating: nil, count: items.count)
            var next = 0
            while next < min(limit, items.count) {
                let i = next
                group.addTask { (i, await body(items[i])) }
                next += 1
            }
            while let (i, result) = await group.next() {
                results[i] = result
                if next < items.count {
                    let j = next
                    group.addTask { (j, await body(items[j])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
