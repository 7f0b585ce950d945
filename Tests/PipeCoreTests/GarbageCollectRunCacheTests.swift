import Foundation
import Testing
@testable import PipeCore

/// `pipe gc` and the run cache: objects a usable entry names stay, unusable entries go, `.drop` frees everything
/// only the run cache names.
@Suite struct GarbageCollectRunCacheTests {
    /// A store holding `kept.txt` (named by the workspace lock) and `old.txt` (named by nothing yet).
    struct Scenario {
        let repo: HashingScratchDirectory
        let store: ObjectStore
        let runs: RunCache
        let lock: LockFile
        let old: LockedPath
        var collector: GarbageCollector { GarbageCollector(workspace: Workspace(root: repo.url)) }
        var kept: [KeptLock] { [KeptLock(source: "workspace", lock: lock)] }
    }

    func scenario() throws -> Scenario {
        let repo = try HashingScratchDirectory()
        try repo.write("kept.txt", "kept")
        try repo.write("old.txt", "old content")
        let hasher = FileHasher(repoRoot: repo.url)
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        var locked: [LockedPath] = []
        for path in ["kept.txt", "old.txt"] {
            let entry = try #require(try hasher.hashEntry(repoPath: path))
            try store.save(repoPath: path, repoRoot: repo.url, entry: entry)
            locked.append(LockedPath(path: path, hash: entry.hash, size: entry.size))
        }
        let lock = LockFile(stages: ["s": LockedStage(cmd: "make", deps: [], params: [:], outs: [locked[0]])])
        return Scenario(repo: repo, store: store, runs: RunCache(cacheRoot: repo.url.appendingPathComponent(".cache")),
                        lock: lock, old: locked[1])
    }

    func entry(outs: [LockedPath]) -> LockedStage {
        LockedStage(cmd: "make", deps: [], params: ["params.yaml": [LockedParam(key: "v", value: .int(1))]], outs: outs)
    }

    @Test("an object that only a run-cache entry names is kept, counted as run-cache-only, and the entry stays")
    func keepsRunCacheObjects() throws {
        let s = try scenario()
        let key = XXH3Hasher.hash(Array("run one".utf8))
        try s.runs.record(entry(outs: [s.old]), for: key)
        let report = try s.collector.collect(keeping: s.kept, dry: false)
        #expect(report.removed.isEmpty)
        #expect(s.store.contains(s.old.hash))
        #expect(report.runCacheEntriesKept == 1)
        #expect(report.runCacheOnlyObjects == 1)
        #expect(report.runCacheOnlyBytes == Int64("old content".utf8.count))
        #expect(s.runs.lookup(key) != nil)
        #expect(report.summary.contains("named by 1 lock and 1 run-cache entry."))
        #expect(report.json.contains("\"runCache\":{\"kept\":1,\"removed\":[],\"onlyObjects\":1,\"onlyBytes\":11}"))
    }

    @Test("entries naming an object that is gone, or that are damaged, are deleted; a dry run deletes nothing")
    func dropsUnusableEntries() throws {
        let s = try scenario()
        let good = XXH3Hasher.hash(Array("good".utf8)), dangling = XXH3Hasher.hash(Array("dangling".utf8))
        try s.runs.record(entry(outs: [s.old]), for: good)
        let gone = LockedPath(path: "gone.txt", hash: XXH3Hasher.hash(Array("never cached".utf8)), size: 12)
        try s.runs.record(entry(outs: [s.old, gone]), for: dangling)
        let damagedKey = XXH3Hasher.hash(Array("damaged".utf8))
        let damagedURL = s.runs.root.appendingPathComponent(String(damagedKey.hex.prefix(2)))
            .appendingPathComponent(String(damagedKey.hex.dropFirst(2)))
        try s.repo.write(".cache/runs/\(damagedKey.hex.prefix(2))/\(damagedKey.hex.dropFirst(2))", "stages: [not, a, lock")
        try s.repo.write(".cache/runs/\(good.hex.prefix(2))/\(good.hex.dropFirst(2)).tmp-123", "half-written")

        let dry = try s.collector.collect(keeping: s.kept, dry: true)
        #expect(Set(dry.runCacheEntriesRemoved.map(\.key)) == [dangling, damagedKey])
        #expect(dry.runCacheEntriesRemoved.first { $0.key == dangling }?.reason == "output gone.txt is no longer in the cache")
        #expect(dry.runCacheEntriesRemoved.first { $0.key == damagedKey }?.reason == "damaged entry")
        #expect(s.runs.lookup(dangling) != nil)
        #expect(FileManager.default.fileExists(atPath: damagedURL.path))

        let real = try s.collector.collect(keeping: s.kept, dry: false)
        #expect(real.runCacheEntriesRemoved.count == 2)
        #expect(real.runCacheEntriesKept == 1)
        #expect(s.runs.lookup(dangling) == nil)
        #expect(!FileManager.default.fileExists(atPath: damagedURL.path))
        #expect(s.runs.lookup(good) != nil)
        #expect(s.store.contains(s.old.hash))               // still named by the good entry
        #expect(try s.runs.allEntries().map(\.key) == [good])
        #expect(real.summary.contains("Removed 2 run-cache entries."))
    }

    @Test("the drop policy deletes every entry, then the objects only they named, but never what a lock names")
    func dropPolicy() throws {
        let s = try scenario()
        let key = XXH3Hasher.hash(Array("run".utf8))
        try s.runs.record(entry(outs: [s.old]), for: key)
        try s.runs.record(entry(outs: s.lock.stages["s"]!.outs), for: XXH3Hasher.hash(Array("current".utf8)))
        let dry = try s.collector.collect(keeping: s.kept, runCache: .drop, dry: true)
        #expect(dry.removed == [s.old.hash.hex])
        #expect(dry.runCacheEntriesRemoved.count == 2)
        #expect(s.store.contains(s.old.hash))
        #expect(try s.runs.allEntries().count == 2)
        let report = try s.collector.collect(keeping: s.kept, runCache: .drop, dry: false)
        #expect(report.removed == [s.old.hash.hex])
        #expect(report.runCacheEntriesKept == 0)
        #expect(report.runCacheOnlyObjects == 0)
        #expect(!s.store.contains(s.old.hash))
        #expect(s.store.contains(s.lock.stages["s"]!.outs[0].hash))
        #expect(try s.runs.allEntries().isEmpty)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: s.runs.root.path))?.isEmpty ?? true)
    }

    @Test("allEntries lists entries sorted by key and skips files that are not run keys")
    func listing() throws {
        let s = try scenario()
        #expect(try s.runs.allEntries().isEmpty)             // no .cache/runs yet
        let keys = ["b", "a", "c"].map { XXH3Hasher.hash(Array($0.utf8)) }
        for k in keys { try s.runs.record(entry(outs: [s.old]), for: k) }
        try s.repo.write(".cache/runs/zz/not-a-key", "x")
        try s.repo.write(".cache/runs/README", "x")
        #expect(try s.runs.allEntries().map(\.key.hex) == keys.map(\.hex).sorted())
    }
}
