import Foundation
import Testing
@testable import PipeCore

/// The path summary index (`.cache/paths.index`): status answers an unchanged path from a stat-only fingerprint
/// walk, and every kind of change still gives exactly the hash a from-scratch hash gives.
@Suite struct PathSummaryTests {
    /// A tree of aged files (so nothing is racy) under `data/`.
    private func makeTree() throws -> HashingScratchDirectory {
        let dir = try HashingScratchDirectory()
        for i in 0..<40 { try write(dir, "data/s\(i % 4)/f\(i).txt", "file \(i)\n") }
        try write(dir, "data/top.txt", "top\n")
        return dir
    }

    private func write(_ dir: HashingScratchDirectory, _ path: String, _ text: String, executable: Bool = false, age: Int = 60) throws {
        try dir.write(path, text, executable: executable)
        dir.age(path, seconds: age)
    }

    /// The hash of `path` computed from nothing (a fresh cache: no state index, no summaries).
    private func scratchHash(_ dir: HashingScratchDirectory, _ path: String) throws -> HashedEntry? {
        let cache = dir.url.appendingPathComponent("scratch-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        return try FileHasher(repoRoot: dir.url, cacheRoot: cache).hashEntry(repoPath: path)
    }

    /// Hashes `path` once and saves, as a finished `pipe repro` does.
    private func prime(_ dir: HashingScratchDirectory, _ path: String = "data") throws -> HashedEntry {
        let hasher = FileHasher(repoRoot: dir.url)
        let entry = try #require(try hasher.hashEntry(repoPath: path))
        try hasher.save()
        return entry
    }

    /// The summary a new process would compute, with its counters.
    private func summarize(_ dir: HashingScratchDirectory, _ path: String = "data", threads: Int = 2)
        throws -> (entry: HashedEntry?, counters: HashingCounters) {
        let hasher = FileHasher(repoRoot: dir.url, threads: threads)
        let entry = try hasher.summary(repoPath: path)
        try hasher.save()
        return (entry, hasher.counters)
    }

    private func same(_ a: HashedEntry?, _ b: HashedEntry?) -> Bool {
        a?.hash == b?.hash && a?.size == b?.size && a?.nfiles == b?.nfiles && a?.isDirectory == b?.isDirectory
    }

    @Test("an unchanged directory is answered from its fingerprint: no file looked up or read, same hash, size and count")
    func unchangedDirectoryHits() throws {
        let dir = try makeTree()
        let full = try prime(dir)
        for threads in [1, 2] {
            let (entry, counters) = try summarize(dir, threads: threads)
            #expect(same(entry, full))
            #expect(entry?.nfiles == 41 && entry?.manifest == nil)
            #expect(counters.summaryHits == 1 && counters.indexHits == 0 && counters.filesHashed == 0 && counters.directoriesWalked == 0)
        }
    }

    @Test("a file rewritten with the same size and a new mtime misses the fingerprint and gives the new hash")
    func sameSizeNewMtime() throws {
        let dir = try makeTree()
        let before = try prime(dir)
        try write(dir, "data/s1/f1.txt", "FILE 1\n", age: 30)
        let (entry, counters) = try summarize(dir)
        #expect(counters.summaryHits == 0 && counters.filesHashed == 1)
        #expect(entry?.hash != before.hash)
        #expect(same(entry, try scratchHash(dir, "data")))
        // and the new state is remembered: the next status hits again
        #expect(try summarize(dir).counters.summaryHits == 1)
    }

    @Test("an added, a removed and a renamed file each change the hash exactly as a scratch hash does")
    func addedRemovedRenamed() throws {
        let dir = try makeTree()
        var last = try prime(dir).hash
        let changes: [(String, () throws -> Void)] = [
            ("added", { try write(dir, "data/s2/new.txt", "new\n") }),
            ("removed", { try FileManager.default.removeItem(atPath: dir.path + "/data/s3/f3.txt") }),
            ("renamed", { try FileManager.default.moveItem(atPath: dir.path + "/data/s0/f0.txt", toPath: dir.path + "/data/s0/g0.txt") }),
            ("moved to another folder", { try FileManager.default.moveItem(atPath: dir.path + "/data/s0/f4.txt",
                                                                        toPath: dir.path + "/data/s1/f4.txt") }),
        ]
        for (what, change) in changes {
            try change()
            let (entry, counters) = try summarize(dir)
            #expect(counters.summaryHits == 0, "\(what)")
            #expect(entry?.hash != last, "\(what)")
            #expect(same(entry, try scratchHash(dir, "data")), "\(what)")
            last = try #require(entry).hash
        }
    }

    @Test("chmod +x misses the fingerprint and changes the hash without reading the file")
    func chmodExecutable() throws {
        let dir = try makeTree()
        let before = try prime(dir)
        _ = chmod(dir.path + "/data/top.txt", 0o755)
        let (entry, counters) = try summarize(dir)
        #expect(counters.summaryHits == 0 && counters.filesHashed == 0)
        #expect(entry?.hash != before.hash)
        #expect(same(entry, try scratchHash(dir, "data")))
    }

    @Test("a corrupt paths.index is discarded, the answer is still right, and a good index is written back")
    func corruptSummaryIndex() throws {
        let dir = try makeTree()
        let full = try prime(dir)
        let url = dir.url.appendingPathComponent(".cache/paths.index")
        var bytes = try Data(contentsOf: url)
        bytes[30] ^= 0x01                                  // inside the first entry
        try bytes.write(to: url)
        let hasher = FileHasher(repoRoot: dir.url)
        guard case .discarded = hasher.summaryIndexLoadOutcome else {
            Issue.record("corrupt index was loaded: \(hasher.summaryIndexLoadOutcome)"); return
        }
        #expect(same(try hasher.summary(repoPath: "data"), full))
        #expect(hasher.counters.summaryHits == 0)
        try hasher.save()
        #expect(FileHasher(repoRoot: dir.url).summaryIndexLoadOutcome == .loaded(count: 1))
        #expect(try summarize(dir).counters.summaryHits == 1)
    }

    @Test("an entry whose fingerprint does not match is never trusted, whatever hash it claims")
    func mismatchedEntryIsNotTrusted() throws {
        let dir = try makeTree()
        let full = try prime(dir)
        let url = dir.url.appendingPathComponent(".cache/paths.index")
        var index = PathSummaryIndex.load(from: url, racyWindowNanoseconds: StateIndex.defaultRacyWindowNanoseconds).index
        var entry = try #require(index.entries["data"])
        entry.fingerprint.low &+= 1
        entry.hash = ContentHash(high: 1, low: 2)
        index.record("data", entry)
        try index.save(to: url)
        let (summary, counters) = try summarize(dir)
        #expect(counters.summaryHits == 0)
        #expect(same(summary, full))
    }

    @Test("files modified within the racy window are not remembered, so the next status looks again")
    func racyFilesAreNotRemembered() throws {
        let dir = try makeTree()
        try dir.write("data/fresh.txt", "just written\n")    // mtime now: racy under the default 2 s window
        _ = try prime(dir)
        #expect(try summarize(dir).counters.summaryHits == 0)
        dir.age("data/fresh.txt")
        _ = try summarize(dir)                                // re-hashed now that it is old: remembered
        #expect(try summarize(dir).counters.summaryHits == 1)
    }

    @Test("a .pipeignore'd file changing does not disturb the fingerprint; a new rule changes the hash like a scratch hash")
    func pipeIgnore() throws {
        let dir = try makeTree()
        try write(dir, "data/.pipeignore", "*.log\n")
        try write(dir, "data/s0/run.log", "one\n")
        let full = try prime(dir)
        try write(dir, "data/s0/run.log", "two, longer\n", age: 20)
        let (entry, counters) = try summarize(dir)
        #expect(counters.summaryHits == 1 && same(entry, full))
        try write(dir, "data/s1/.pipeignore", "f1.txt\n")
        let (after, afterCounters) = try summarize(dir)
        #expect(afterCounters.summaryHits == 0 && after?.hash != full.hash)
        #expect(same(after, try scratchHash(dir, "data")))
        #expect(after?.nfiles == full.nfiles)                // one file ignored, one .pipeignore added
    }

    @Test("links: a link to a file is fingerprinted as its target, a link to a directory falls back, a broken link is an error")
    func symbolicLinks() throws {
        let dir = try makeTree()
        try write(dir, "elsewhere/x.txt", "x\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/data/link.txt", withDestinationPath: dir.path + "/elsewhere/x.txt")
        let full = try prime(dir)
        #expect(try summarize(dir).counters.summaryHits == 1)
        try write(dir, "elsewhere/x.txt", "X!\n", age: 10)    // the target changes: so does the directory
        let (changed, counters) = try summarize(dir)
        let changedScratch = try scratchHash(dir, "data")
        #expect(counters.summaryHits == 0 && changed?.hash != full.hash && same(changed, changedScratch))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/data/linkdir", withDestinationPath: dir.path + "/elsewhere")
        _ = try prime(dir)
        let (viaLinkDir, linkDirCounters) = try summarize(dir)
        let linkDirScratch = try scratchHash(dir, "data")
        #expect(linkDirCounters.summaryHits == 0 && same(viaLinkDir, linkDirScratch))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/data/broken", withDestinationPath: dir.path + "/nowhere")
        #expect { try summarize(dir) } throws: { ($0 as? PipeError)?.message.contains("data/broken") == true }
    }

    @Test("a lone file is answered from its summary until it changes")
    func loneFile() throws {
        let dir = try makeTree()
        let full = try prime(dir, "data/top.txt")
        let (entry, counters) = try summarize(dir, "data/top.txt")
        #expect(counters.summaryHits == 1 && same(entry, full) && entry?.isDirectory == false)
        try write(dir, "data/top.txt", "TOP\n", age: 5)
        let (changed, changedCounters) = try summarize(dir, "data/top.txt")
        #expect(changedCounters.summaryHits == 0 && changed?.hash == XXH3Hasher.hash(Array("TOP\n".utf8)))
        try FileManager.default.removeItem(atPath: dir.path + "/data/top.txt")
        #expect(try summarize(dir, "data/top.txt").entry == nil)
    }

    @Test("the fast walk's fingerprint equals the one built from the full walk, on one thread or two")
    func fastWalkMatchesFullWalk() throws {
        let dir = try makeTree()
        try write(dir, "data/s0/deeper/deepest/z.bin", "z", executable: true)
        try write(dir, "data/.pipeignore", "s3/\n")
        var expected = PathFingerprint()
        let ignore = try PipeIgnore.rules(above: "data", repoRoot: dir.url)
        for file in try DirectoryWalker(repoPath: "data", absolutePath: dir.path + "/data", ignore: ignore).walk() {
            expected.add(path: file.relativePath, status: file.status)
        }
        #expect(expected.fileCount == 33)
        for threads in [1, 2, 3] {
            let fast = FingerprintWalker(repoPath: "data", absolutePath: dir.path + "/data", ignore: ignore, threads: threads).fingerprint()
            #expect(fast == expected, "threads \(threads)")
        }
    }

    @Test("status through WorkspaceHashing uses summaries; the cache still gets a full manifest")
    func workspaceHashing() throws {
        let dir = try makeTree()
        let full = try prime(dir)
        let hashing = WorkspaceHashing(hasher: FileHasher(repoRoot: dir.url))
        let snapshot = try #require(try hashing.snapshot(of: "data"))
        #expect(snapshot.hash == full.hash && snapshot.nfiles == 41)
        #expect(hashing.hasher.counters.summaryHits == 1)
        let entry = try #require(try hashing.entry(of: "data"))
        #expect(entry.manifest == full.manifest)
    }
}
