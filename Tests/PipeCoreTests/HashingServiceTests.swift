import Foundation
import Synchronization
import Testing
@testable import PipeCore

@Suite struct HashingServiceTests {
    @Test("a file's entry has its xxhsum hash and size; a missing path is nil")
    func fileEntry() throws {
        let dir = try HashingScratchDirectory()
        let url = try dir.write("data/a.txt", "hello world\n")
        let hasher = FileHasher(repoRoot: dir.url)
        let entry = try #require(try hasher.hashEntry(repoPath: "data/a.txt"))
        #expect(entry.hash.hex == (try xxhsumH2(url.path)))
        #expect(entry.size == 12 && entry.nfiles == nil && !entry.isDirectory && entry.manifest == nil)
        #expect(try hasher.hashEntry(repoPath: "./data//a.txt/") == entry)
        #expect(try hasher.hashEntry(repoPath: "data/missing") == nil)
    }

    @Test("paths escaping the repository are rejected")
    func escapingPathsRejected() throws {
        let dir = try HashingScratchDirectory()
        let hasher = FileHasher(repoRoot: dir.url)
        for bad in ["../x", "/etc/passwd", "a/../../x"] {
            #expect { try hasher.hashEntry(repoPath: bad) } throws: { ($0 as? PipeError)?.code == .pathEscapesRepo }
        }
    }

    @Test("a directory's hash is its manifest's hash, with nfiles and total size, identical across runs")
    func directoryEntry() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("out/b.bin", "bb")
        try dir.write("out/a/x.txt", "xxx")
        try FileManager.default.createDirectory(at: dir.url.appendingPathComponent("out/empty"), withIntermediateDirectories: true)
        let entry = try #require(try FileHasher(repoRoot: dir.url).hashEntry(repoPath: "out"))
        #expect(entry.isDirectory && entry.nfiles == 2 && entry.size == 5)
        #expect(entry.manifest?.entries.map(\.path) == ["a/x.txt", "b.bin"])
        #expect(entry.hash == entry.manifest?.hash)
        let again = try FileHasher(repoRoot: dir.url).hashEntry(repoPath: "out")
        #expect(again == entry)
    }

    @Test("making a file executable changes the directory hash")
    func executableBitChangesHash() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("bin/run.sh", "#!/bin/sh\n")
        let hasher = FileHasher(repoRoot: dir.url)
        let before = try #require(try hasher.hashEntry(repoPath: "bin"))
        _ = chmod(dir.path + "/bin/run.sh", 0o755)
        let after = try #require(try hasher.hashEntry(repoPath: "bin"))
        #expect(before.hash != after.hash)
        #expect(after.manifest?.entries.first?.isExecutable == true)
        #expect(before.manifest?.entries.first?.hash == after.manifest?.entries.first?.hash)
    }

    @Test("an unchanged file is read once; the second hash, even in a new process, comes from the saved index")
    func unchangedFilesAreNotReread() throws {
        let dir = try HashingScratchDirectory()
        for i in 0..<20 { try dir.write("d/f\(i)", "content \(i)"); dir.age("d/f\(i)") }
        let first = FileHasher(repoRoot: dir.url)
        let a = try first.hashEntry(repoPath: "d")
        #expect(first.counters.filesHashed == 20 && first.counters.indexHits == 0)
        _ = try first.hashEntry(repoPath: "d")
        #expect(first.counters.filesHashed == 20 && first.counters.indexHits == 20)
        try first.save()
        let second = FileHasher(repoRoot: dir.url)
        #expect(second.indexLoadOutcome == .loaded(count: 20))
        #expect(try second.hashEntry(repoPath: "d") == a)
        #expect(second.counters.filesHashed == 0 && second.counters.indexHits == 20 && second.counters.bytesHashed == 0)
        // one file changes: only it is read
        try dir.write("d/f3", "changed content")
        let b = try second.hashEntry(repoPath: "d")
        #expect(b != a)
        #expect(second.counters.filesHashed == 1)
    }

    @Test("a file modified within the racy window of its hashing is read again")
    func racyFilesAreReread() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("f", "fresh")          // mtime is now: racy under a 60 s window however slow the machine
        let hasher = FileHasher(repoRoot: dir.url, racyWindowNanoseconds: 60_000_000_000)
        _ = try hasher.hashEntry(repoPath: "f")
        _ = try hasher.hashEntry(repoPath: "f")
        #expect(hasher.counters.filesHashed == 2 && hasher.counters.racyEntries == 1 && hasher.counters.indexHits == 0)
    }

    @Test("a same-size rewrite within one timestamp tick is caught once the entry is racy")
    func sameTickRewriteIsCaught() throws {
        let dir = try HashingScratchDirectory()
        let url = try dir.write("f", "aaaa")
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, url.path, &times, 0)
        let hasher = FileHasher(repoRoot: dir.url)
        let first = try #require(try hasher.hashEntry(repoPath: "f"))
        // rewrite in place keeping size, inode and mtime: a fooled stat check would return the old hash
        try dir.write("f", "bbbb")
        _ = utimensat(AT_FDCWD, url.path, &times, 0)
        #expect(try hasher.hashEntry(repoPath: "f")?.hash == first.hash)   // documented limit: stat cannot see it
        let racyHasher = FileHasher(repoRoot: dir.url, racyWindowNanoseconds: Int64.max / 2)
        #expect(try racyHasher.hashEntry(repoPath: "f")?.hash != first.hash)
    }

    @Test("a corrupt index on disk is discarded, files are re-read, and the rewritten index is trusted again")
    func corruptIndexIsRebuilt() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("d/a", "a"); dir.age("d/a")
        let first = FileHasher(repoRoot: dir.url)
        let entry = try first.hashEntry(repoPath: "d")
        try first.save()
        let indexURL = dir.url.appendingPathComponent(".cache/state.index")
        var bytes = try Data(contentsOf: indexURL)
        bytes[bytes.count / 2] ^= 0xff
        try bytes.write(to: indexURL)
        let second = FileHasher(repoRoot: dir.url)
        guard case .discarded = second.indexLoadOutcome else { Issue.record("\(second.indexLoadOutcome)"); return }
        #expect(try second.hashEntry(repoPath: "d") == entry)
        #expect(second.counters.filesHashed == 1)
        try second.save()
        #expect(FileHasher(repoRoot: dir.url).indexLoadOutcome == .loaded(count: 1))
    }

    @Test("symbolic links are followed; broken links are an error naming the path")
    func symlinks() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("real/x.txt", "x")
        try dir.write("d/y.txt", "y")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/link.txt", withDestinationPath: dir.path + "/real/x.txt")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/linkdir", withDestinationPath: dir.path + "/real")
        let hasher = FileHasher(repoRoot: dir.url)
        let entry = try #require(try hasher.hashEntry(repoPath: "d"))
        #expect(entry.manifest?.entries.map(\.path) == ["link.txt", "linkdir/x.txt", "y.txt"])
        #expect(entry.manifest?.entry(at: "link.txt")?.hash == XXH3Hasher.hash(Array("x".utf8)))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/broken", withDestinationPath: dir.path + "/nowhere")
        #expect { try hasher.hashEntry(repoPath: "d") } throws: { ($0 as? PipeError)?.message.contains("d/broken") == true }
        try FileManager.default.removeItem(atPath: dir.path + "/d/broken")
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/loop", withDestinationPath: dir.path + "/d")
        #expect { try hasher.hashEntry(repoPath: "d") } throws: { ($0 as? PipeError)?.message.contains("loop") == true }
    }

    @Test("hashing many cold files on two threads gives the same manifest as one thread")
    func parallelMatchesSerial() throws {
        let dir = try HashingScratchDirectory()
        for i in 0..<300 { try dir.write("many/\(i % 7)/f\(i)", String(repeating: "\(i)", count: i)) }
        let parallel = try FileHasher(repoRoot: dir.url, threads: 2).hashEntry(repoPath: "many")
        let serial = try FileHasher(repoRoot: dir.url, threads: 1).hashEntry(repoPath: "many")
        #expect(parallel == serial)
        #expect(parallel?.nfiles == 300)
    }

    @Test("entries of deleted files are dropped the next time the index is written, and a run that changes nothing leaves it alone")
    func deletedFilesArePruned() throws {
        let dir = try HashingScratchDirectory()
        for name in ["a", "b", "c"] { try dir.write("d/\(name)", name); dir.age("d/\(name)") }
        let first = FileHasher(repoRoot: dir.url)
        _ = try first.hashEntry(repoPath: "d")
        try first.save()
        try FileManager.default.removeItem(atPath: dir.path + "/d/b")
        let second = FileHasher(repoRoot: dir.url)
        #expect(second.indexedFileCount == 3)
        try second.save()                                // nothing new: the index file is not rewritten
        #expect(StateIndex.load(from: second.indexURL).index.entries.keys.sorted() == ["d/a", "d/b", "d/c"])
        try dir.write("e", "e")
        dir.age("e")
        let third = FileHasher(repoRoot: dir.url)        // sees only e this run, so checks every other entry
        _ = try third.hashEntry(repoPath: "e")
        try third.save()
        #expect(StateIndex.load(from: third.indexURL).index.entries.keys.sorted() == ["d/a", "d/c", "e"])
    }

    @Test("one FileHasher used from several threads at once gives every caller the same answer")
    func concurrentCallersAgree() throws {
        let dir = try HashingScratchDirectory()
        for i in 0..<200 { try dir.write("d/\(i % 5)/f\(i)", "v\(i)") }
        let hasher = FileHasher(repoRoot: dir.url)
        let expected = try FileHasher(repoRoot: dir.url, threads: 1).hashEntry(repoPath: "d")
        let results = Mutex<[HashedEntry?]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let r = try? hasher.hashEntry(repoPath: "d")
            results.withLock { $0.append(r) }
        }
        #expect(results.withLock { $0 }.allSatisfy { $0 == expected && $0 != nil })
    }

    @Test("big files in a directory hashed on two threads match xxhsum")
    func bigFilesInParallel() throws {
        let dir = try HashingScratchDirectory()
        var urls: [URL] = []
        for i in 0..<3 {
            let size = (33 << 20) + i * 4097
            let block = (0..<(65_536 + 17 * i)).map { UInt8(truncatingIfNeeded: $0 &* (i + 3) &+ $0 >> 8) }
            var data = Data(capacity: size + block.count)
            while data.count < size { data.append(contentsOf: block) }
            urls.append(try dir.write("big/f\(i).bin", data.prefix(size)))
        }
        let entry = try #require(try FileHasher(repoRoot: dir.url, threads: 2).hashEntry(repoPath: "big"))
        for (i, url) in urls.enumerated() {
            #expect(entry.manifest?.entry(at: "f\(i).bin")?.hash.hex == (try xxhsumH2(url.path)))
        }
    }
}
