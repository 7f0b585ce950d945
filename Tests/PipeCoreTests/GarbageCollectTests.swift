import Foundation
import Testing
@testable import PipeCore

/// `pipe gc` reachability: what a kept lock names stays (a directory keeps its files), everything else goes.
@Suite struct GarbageCollectTests {
    /// A repo with a cached file `a.txt`, a cached directory `dir/` and an orphan file object; returns the lock
    /// naming the first two.
    func scenario(_ repo: HashingScratchDirectory) throws -> (store: ObjectStore, lock: LockFile, orphan: ContentHash) {
        try repo.write("a.txt", "alpha")
        try repo.write("dir/x.txt", "x")
        try repo.write("dir/y.txt", "alpha")          // same content as a.txt: one object, two owners
        try repo.write("old.txt", "old content")
        let hasher = FileHasher(repoRoot: repo.url)
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        var locked: [LockedPath] = []
        for path in ["a.txt", "dir", "old.txt"] {
            let entry = try #require(try hasher.hashEntry(repoPath: path))
            try store.save(repoPath: path, repoRoot: repo.url, entry: entry)
            locked.append(LockedPath(path: path, hash: entry.hash, size: entry.size, nfiles: entry.manifest?.fileCount))
        }
        let lock = LockFile(stages: ["s": LockedStage(cmd: "make", deps: [], params: [:], outs: Array(locked.prefix(2)))])
        return (store, lock, locked[2].hash)
    }

    @Test("a directory out keeps its manifest and every file it lists; an object no lock names is unreachable")
    func reachability() throws {
        let repo = try HashingScratchDirectory()
        let (store, lock, orphan) = try scenario(repo)
        var manifests = ManifestMemo(store: store)
        let reachable = ReachableObjects(locks: [KeptLock(source: "workspace", lock: lock)], manifests: &manifests)
        let all = try store.allObjectHashes()
        #expect(all.count == 4)                       // alpha, x, dir manifest, old
        #expect(reachable.objects.isSuperset(of: all.subtracting([ObjectStore.ObjectID(hash: orphan, isDirectory: false)])))
        #expect(!reachable.objects.contains(ObjectStore.ObjectID(hash: orphan, isDirectory: false)))
        #expect(reachable.warnings.isEmpty)
    }

    @Test("within one gc a directory manifest is read once: the memo answers later asks without the store")
    func manifestsAreReadOnce() throws {
        let repo = try HashingScratchDirectory()
        let (store, lock, _) = try scenario(repo)
        let dir = try #require(lock.stages["s"]!.outs.first { $0.isDirectory })
        var manifests = ManifestMemo(store: store)
        let present = manifests.contains(dir.hash, isDirectory: true)
        let first = try manifests.manifest(for: dir.hash)
        try FileManager.default.removeItem(at: store.objectURL(for: dir.hash, isDirectory: true))
        let again = try manifests.manifest(for: dir.hash)                 // not re-read: the file is gone
        #expect(present && again == first)
        var fresh = ManifestMemo(store: store)
        let unread = Result { () throws(PipeError) in try fresh.manifest(for: dir.hash) }
        #expect(throws: PipeError.self) { try unread.get() }
        #expect(!store.contains(dir.hash, isDirectory: true))
    }

    @Test("collect removes only the unreachable object, counts its bytes, and a dry run removes nothing")
    func collectRemovesOnlyGarbage() throws {
        let repo = try HashingScratchDirectory()
        let (store, lock, orphan) = try scenario(repo)
        let collector = GarbageCollector(workspace: Workspace(root: repo.url))
        let kept = [KeptLock(source: "workspace", lock: lock)]
        let dry = try collector.collect(keeping: kept, dry: true)
        #expect(dry.removed == [orphan.hex])
        #expect(dry.removedBytes == Int64("old content".utf8.count))
        #expect(store.contains(orphan))
        let real = try collector.collect(keeping: kept, dry: false)
        #expect(real.removed == [orphan.hex])
        #expect(real.keptObjects == 3)
        #expect(!store.contains(orphan))
        for path in lock.stages["s"]!.outs { #expect(store.contains(path.hash, isDirectory: path.isDirectory)) }
        #expect(try collector.collect(keeping: kept, dry: false).removed.isEmpty)
    }

    @Test("an object named by a second kept lock (an experiment's) survives")
    func secondLockKeeps() throws {
        let repo = try HashingScratchDirectory()
        let (store, lock, orphan) = try scenario(repo)
        let other = LockFile(stages: ["t": LockedStage(cmd: "old", deps: [], params: [:],
                                                       outs: [LockedPath(path: "old.txt", hash: orphan, size: 11)])])
        let report = try GarbageCollector(workspace: Workspace(root: repo.url))
            .collect(keeping: [KeptLock(source: "workspace", lock: lock), KeptLock(source: "experiment e", lock: other)], dry: false)
        #expect(report.removed.isEmpty)
        #expect(store.contains(orphan))
        #expect(report.json.contains("\"sources\":[\"workspace\",\"experiment e\"]"))
    }

    @Test("with an empty lock every object is garbage, and the emptied fan-out directories go too")
    func emptyLockRemovesAll() throws {
        let repo = try HashingScratchDirectory()
        let (store, _, _) = try scenario(repo)
        let report = try GarbageCollector(workspace: Workspace(root: repo.url)).collect(keeping: [KeptLock(source: "workspace", lock: LockFile())], dry: false)
        #expect(report.removed.count == 4)
        #expect(try store.allObjectHashes().isEmpty)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: store.objectsURL.path))?.isEmpty ?? true)
    }
}
