import Foundation
import PipeBasics

/// Objects arriving from a remote that take their names in the cache together (group commit).
///
/// Each object's bytes are verified against its hash, then written under a temporary name in `.cache/tmp` with no
/// sync of its own. `commit()` syncs the file system once, renames every staged object to its final name, and
/// syncs once more. The guarantee is the same as a fsync per file — the bytes are durable before any name points
/// at them, and an interrupted fetch leaves only temporary files — at two syncs per batch instead of two per
/// object, which is what a pull of thousands of small objects was paying for (docs/remote-cache.md).
///
/// Thread-safe: concurrent downloads stage into one intake; a batch that fills up is committed by the stager that
/// filled it.
public final class ObjectIntake: @unchecked Sendable {
    /// The store objects enter.
    public let store: ObjectStore
    /// Staged objects that trigger a commit: bounds what an interruption costs (at most this many to download
    /// again) and the number of temporary files.
    public let batchSize: Int
    private let lock = NSLock()
    private var staged: [(temporary: String, final: String)] = []
    private var folders = Set<String>()
    private var made = 0

    /// An intake into `store`, committing every `batchSize` staged objects.
    public init(store: ObjectStore, batchSize: Int = 512) {
        self.store = store
        self.batchSize = max(1, batchSize)
    }

    /// Verifies that `bytes` hash to `id`'s hash (and, for a manifest, parse as one), then writes them under a
    /// temporary name; they take their final name at the next commit. Commits when the batch is full.
    ///
    /// - Throws: `.cacheCorrupt` naming the object and the hash its bytes have (nothing is written), `.io` when
    ///   the temporary file cannot be written or a commit fails.
    public func stage(_ bytes: [UInt8], as id: ObjectStore.ObjectID) throws(PipeError) {
        let actual = XXH3Hasher.hash(bytes)
        guard actual == id.hash else { throw ObjectStore.corruptDownload(id, actual: actual) }
        if id.isDirectory { _ = try DirectoryManifest(parsing: bytes, source: "remote object \(id)") }
        let temporary = try temporaryPath(for: id)
        do {
            let fd = try SystemCall.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
            defer { SystemCall.close(fd) }
            try bytes.withUnsafeBytes { try SystemCall.writeAll(fd, $0, path: temporary) }
        } catch {
            SystemCall.removeFileIfPresent(temporary)
            throw PipeError.io("cannot write the downloaded object", path: temporary, underlying: error,
                               fix: "check .cache is writable and the disk has room")
        }
        let final = store.objectPath(for: id.hash, isDirectory: id.isDirectory)
        let full = lock.withLock { () -> Bool in
            staged.append((temporary, final))
            return staged.count >= batchSize
        }
        if full { try commit() }
    }

    /// `.cache/tmp/intake-ab/<hash>-<pid>-<n>`: temporary files are spread over folders by the hash's first two
    /// digits, as the objects are, because concurrent creations in one folder queue on its lock (a profile of a
    /// 10,000-file fetch spent a third of its time there).
    private func temporaryPath(for id: ObjectStore.ObjectID) throws(PipeError) -> String {
        let hex = id.hash.hex
        let folder = store.temporaryURL.path + "/intake-" + hex.prefix(2)
        try makeFolder(folder)
        let n = lock.withLock { () -> Int in
            made += 1
            return made
        }
        return folder + "/\(hex)-\(SystemCall.processID)-\(n)"
    }

    /// Creates `folder` the first time it is asked for (under the lock, so no stager writes into it before).
    private func makeFolder(_ folder: String) throws(PipeError) {
        lock.lock()
        defer { lock.unlock() }
        guard !folders.contains(folder) else { return }
        do { try SystemCall.makeDirectories(folder) } catch {
            throw PipeError.io("cannot create", path: folder, underlying: error, fix: "check .cache is writable")
        }
        folders.insert(folder)
    }

    /// Gives every staged object its final name: one file-system sync, the renames, another sync.
    ///
    /// - Throws: `.io` when the sync or a rename fails; the objects not yet renamed are removed.
    public func commit() throws(PipeError) {
        let batch = lock.withLock { () -> [(temporary: String, final: String)] in
            defer { staged.removeAll(keepingCapacity: true) }
            return staged
        }
        guard !batch.isEmpty else { return }
        var done = 0
        defer { for object in batch[done...] { SystemCall.removeFileIfPresent(object.temporary) } }
        do {
            try SystemCall.syncFileSystem(containing: store.temporaryURL.path)
            for object in batch {
                try makeFolder(String(object.final[..<object.final.lastIndex(of: "/")!]))
                try SystemCall.rename(object.temporary, object.final)
                done += 1
                if !object.final.hasSuffix(ObjectStore.directorySuffix) { store.markVerified(object.final) }
            }
            try SystemCall.syncFileSystem(containing: store.objectsURL.path)
        } catch {
            throw PipeError.io("cannot move downloaded objects into the cache", path: store.objectsURL.path,
                               underlying: error, fix: "check .cache is writable")
        }
    }

    /// Removes whatever is still staged (the downloads of an abandoned transfer).
    public func discard() {
        let batch = lock.withLock { () -> [(temporary: String, final: String)] in
            defer { staged.removeAll() }
            return staged
        }
        for object in batch { SystemCall.removeFileIfPresent(object.temporary) }
    }
}
