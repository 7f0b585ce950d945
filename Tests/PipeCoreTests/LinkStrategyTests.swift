import Foundation
import Testing
@testable import PipeCore

@Suite struct LinkStrategyTests {
    func setUp() throws -> (HashingScratchDirectory, ObjectStore, HashedEntry) {
        let repo = try HashingScratchDirectory()
        try repo.write("d/a.txt", "aaa")
        try repo.write("d/tool", "#!/bin/sh\n", executable: true)
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "d"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "d", repoRoot: repo.url, entry: entry)
        return (repo, store, entry)
    }

    func inode(_ path: String) -> UInt64 {
        var st = stat()
        _ = stat(path, &st)
        return UInt64(st.st_ino)
    }

    @Test("hardlink shares the object's inode; executable files fall back to the next strategy")
    func hardlinkAndExecutableFallback() throws {
        let (repo, store, entry) = try setUp()
        let report = try store.checkout(entry, to: repo.url.appendingPathComponent("h"),
                                        options: .init(strategies: [.hardlink, .copy]))
        #expect(report.filesByStrategy == [.hardlink: 1, .copy: 1])
        let a = try #require(entry.manifest?.entry(at: "a.txt"))
        #expect(inode(repo.path + "/h/a.txt") == inode(store.objectURL(for: a.hash).path))
        #expect(inode(repo.path + "/h/tool") != inode(store.objectURL(for: entry.manifest!.entry(at: "tool")!.hash).path))
    }

    @Test("an unsupported reflink falls back to copy, and copy-only gives independent read-only files")
    func reflinkFallsBack() throws {
        let (repo, store, entry) = try setUp()
        let report = try store.checkout(entry, to: repo.url.appendingPathComponent("r"),
                                        options: .init(strategies: [.reflink, .copy]))
        #expect(report.fileCount == 2)
        #expect(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "r")?.hash == entry.hash)
        let copied = try store.checkout(entry, to: repo.url.appendingPathComponent("c"), options: .init(strategies: [.copy]))
        #expect(copied.filesByStrategy == [.copy: 2])
        let a = try #require(entry.manifest?.entry(at: "a.txt"))
        #expect(inode(repo.path + "/c/a.txt") != inode(store.objectURL(for: a.hash).path))
        #expect(access(repo.path + "/c/a.txt", W_OK) != 0 || getuid() == 0)
        var st = stat()
        _ = stat(repo.path + "/c/a.txt", &st)
        #expect(st.st_mode & 0o222 == 0)
    }

    @Test("when no allowed strategy works the checkout fails naming the strategies and the workspace is untouched")
    func allStrategiesFail() throws {
        let (repo, store, entry) = try setUp()
        try repo.write("x/old.txt", "old")
        #expect {
            try store.checkout(entry, to: repo.url.appendingPathComponent("x"), options: .init(strategies: [.hardlink]))
        } throws: { ($0 as? PipeError)?.message.contains("hardlink") == true }
        #expect(repo.read("x/old.txt") == "old")
    }

    @Test("a strategy order parses from text with did-you-mean for typos")
    func parsesOrder() throws {
        #expect(try LinkStrategy.order(parsing: "copy, hardlink") == [.copy, .hardlink])
        #expect { try LinkStrategy.order(parsing: "reflnk") } throws: { ($0 as? PipeError)?.message.contains("did you mean reflink") == true }
        #expect(throws: PipeError.self) { try LinkStrategy.order(parsing: " , ") }
    }
}

@Suite struct FileLinkerTests {
    @Test("a strategy the file system cannot do at all is dropped after its first failure; a per-file failure is not")
    func unsupportedStrategyIsDroppedOnce() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("object", "bytes")
        var linker = FileLinker(order: [.reflink, .copy])
        let first = try linker.link(object: repo.path + "/object", to: repo.path + "/one", executable: false)
        if first == .reflink {
            #expect(linker.order == [.reflink, .copy])    // this file system clones: nothing to drop
        } else {
            #expect(first == .copy)
            #expect(linker.order == [.copy])
        }
        #expect(repo.read("one") == "bytes")
        #expect(FileLinker.isUnsupported(.reflink, errno: EOPNOTSUPP))
        #expect(FileLinker.isUnsupported(.hardlink, errno: EXDEV))
        #expect(!FileLinker.isUnsupported(.hardlink, errno: EMLINK))   // too many links to this one object
        #expect(!FileLinker.isUnsupported(.copy, errno: ENOSPC))
    }
}
