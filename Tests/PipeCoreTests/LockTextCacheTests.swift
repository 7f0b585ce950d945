import Foundation
import Testing
@testable import PipeCore

/// The cached lock serializer repro uses between writes must give exactly `LockFile.yamlText()`.
@Suite struct LockTextCacheTests {
    func entry(_ i: Int, hash: UInt64 = 7) -> LockedStage {
        LockedStage(cmd: "cp in\(i) out\(i)",
                    deps: [LockedPath(path: "in\(i)", hash: ContentHash(high: UInt64(i), low: 1), size: Int64(i))],
                    params: ["params.yaml": [LockedParam(key: "k\(i % 3)", value: .int(i))]],
                    outs: [LockedPath(path: "out\(i)", hash: ContentHash(high: hash, low: UInt64(i)), size: 3)])
    }

    @Test func cachedTextEqualsFreshTextAsEntriesAreAddedChangedAndRemoved() {
        var cache = LockTextCache()
        var lock = LockFile()
        #expect(cache.yamlText(of: lock) == lock.yamlText())
        for i in [5, 1, 12, 3] {
            lock.stages["s\(i)"] = entry(i)
            #expect(cache.yamlText(of: lock) == lock.yamlText())
        }
        lock.stages["s1"] = entry(1, hash: 99)                      // a changed entry must not reuse its old text
        let changed = cache.yamlText(of: lock)
        #expect(changed == lock.yamlText())
        #expect(changed.contains(ContentHash(high: 99, low: 1).hex))
        lock.stages["s12"] = nil
        #expect(cache.yamlText(of: lock) == lock.yamlText())
        #expect(cache.count == 3)
        lock.schema = 0
        #expect(cache.yamlText(of: lock).hasPrefix("schema: 0\nstages:\n"))
    }

    @Test func writingThroughTheCacheLeavesTheSameBytesAsAPlainWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-locktext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let workspace = Workspace(root: dir)
        var lock = LockFile()
        for i in 0..<20 { lock.stages["s\(i)"] = entry(i) }
        var cache = LockTextCache()
        try workspace.writeLock(lock, keeping: Set(lock.stages.keys), textCache: &cache)
        lock.stages["s7"] = entry(7, hash: 1)
        try workspace.writeLock(lock, keeping: Set(lock.stages.keys).subtracting(["s3"]), textCache: &cache)
        let cached = try Data(contentsOf: workspace.lockURL)
        try workspace.writeLock(lock, keeping: Set(lock.stages.keys).subtracting(["s3"]))
        #expect(try Data(contentsOf: workspace.lockURL) == cached)
        #expect(!String(decoding: cached, as: UTF8.self).contains("  s3:"))
        #expect(try workspace.readLock().stages["s7"] == entry(7, hash: 1))
    }
}
