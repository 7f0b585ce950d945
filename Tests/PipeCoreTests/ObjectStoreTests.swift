import Foundation
import Testing
@testable import PipeCore

@Suite struct ObjectStoreTests {
    func mode(_ path: String) -> mode_t {
        var st = stat()
        _ = lstat(path, &st)
        return st.st_mode & 0o777
    }

    @Test("a saved file lives at objects/ab/cdef…, read-only, and checks out byte-identical")
    func fileRoundTrip() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("model.bin", "weights")
        let hasher = FileHasher(repoRoot: repo.url)
        let entry = try #require(try hasher.hashEntry(repoPath: "model.bin"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        #expect(!store.contains(entry.hash))
        try store.save(repoPath: "model.bin", repoRoot: repo.url, entry: entry)
        let object = store.objectURL(for: entry.hash)
        let hex = entry.hash.hex
        #expect(object.path.hasSuffix(".cache/objects/\(hex.prefix(2))/\(hex.dropFirst(2))"))
        #expect(store.contains(entry.hash))
        #expect(mode(object.path) == 0o444)
        #expect(store.verify(entry.hash) == .valid)
        try FileManager.default.removeItem(at: repo.url.appendingPathComponent("model.bin"))
        try store.checkout(entry, to: repo.url.appendingPathComponent("model.bin"))
        #expect(repo.read("model.bin") == "weights")
        #expect(mode(repo.path + "/model.bin") & 0o222 == 0)
        #expect(try store.allObjectHashes() == [ObjectStore.ObjectID(hash: entry.hash, isDirectory: false)])
    }

    @Test("a saved directory stores its files and a .dir manifest, and checks out with its layout and executable bits")
    func directoryRoundTrip() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("out/a.txt", "a")
        try repo.write("out/sub/b.txt", "b")
        try repo.write("out/sub/same.txt", "a")
        try repo.write("out/run.sh", "#!/bin/sh\n", executable: true)
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "out", repoRoot: repo.url, entry: entry)
        #expect(store.contains(entry.hash, isDirectory: true))
        #expect(try store.manifest(for: entry.hash) == entry.manifest)
        #expect(try store.allObjectHashes().count == 4)        // 3 distinct contents + the manifest
        #expect(store.verify(entry.hash, isDirectory: true) == .valid)
        try SystemCall.removeTree(repo.path + "/out")
        try store.checkout(hash: entry.hash, isDirectory: true, to: repo.url.appendingPathComponent("out"))
        #expect(repo.read("out/sub/b.txt") == "b")
        #expect(mode(repo.path + "/out/run.sh") == 0o555)
        #expect(mode(repo.path + "/out/a.txt") == 0o444)
        #expect(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out") == entry)
    }

    @Test("checkout replaces a modified output and a file replaced by a directory")
    func checkoutReplacesWhatIsThere() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("out/a.txt", "a")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "out", repoRoot: repo.url, entry: entry)
        try repo.write("out/extra.txt", "x")
        try store.checkout(entry, to: repo.url.appendingPathComponent("out"))
        #expect(try SystemCall.listDirectory(repo.path + "/out") == ["a.txt"])
        try SystemCall.removeTree(repo.path + "/out")
        try repo.write("out", "now a file")
        try store.checkout(entry, to: repo.url.appendingPathComponent("out"))
        #expect(repo.read("out/a.txt") == "a")
        let leftovers = try SystemCall.listDirectory(repo.path).filter { $0.contains("pipe-checkout") }
        #expect(leftovers.isEmpty)
    }

    @Test("a corrupt object is detected, deleted and never checked out")
    func corruptObjectDetected() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("f.txt", "good content")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "f.txt"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "f.txt", repoRoot: repo.url, entry: entry)
        #expect(store.verify(entry.hash) == .valid)
        let object = store.objectURL(for: entry.hash).path
        _ = chmod(object, 0o644)
        try Data("evil content".utf8).write(to: URL(fileURLWithPath: object))
        try repo.write("f.txt", "workspace")
        #expect {
            try store.checkout(entry, to: repo.url.appendingPathComponent("f.txt"))
        } throws: { ($0 as? PipeError)?.code == .cacheCorrupt }
        #expect(repo.read("f.txt") == "workspace")
        #expect(!store.contains(entry.hash))
        #expect(store.verify(entry.hash) == .missing)
    }

    @Test("saving over a corrupt object replaces it instead of keeping the damaged bytes")
    func saveReplacesCorruptObject() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("f.txt", "precious")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "f.txt"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "f.txt", repoRoot: repo.url, entry: entry)
        let object = store.objectURL(for: entry.hash).path
        _ = chmod(object, 0o644)
        try Data("damaged!".utf8).write(to: URL(fileURLWithPath: object))      // same size
        try store.save(repoPath: "f.txt", repoRoot: repo.url, entry: entry, mode: .move)
        #expect(store.verify(entry.hash) == .valid)
        try store.checkout(entry, to: repo.url.appendingPathComponent("f.txt"), options: .init(verify: false))
        #expect(repo.read("f.txt") == "precious")
    }

    @Test("a damaged directory object names the damaged file")
    func damagedDirectoryReported() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("d/x.txt", "x")
        try repo.write("d/y.txt", "y")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "d"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "d", repoRoot: repo.url, entry: entry)
        let y = try #require(entry.manifest?.entry(at: "y.txt"))
        try store.remove(y.hash)
        #expect(!store.contains(entry.hash, isDirectory: true))
        guard case let .damagedDirectory(problems) = store.verify(entry.hash, isDirectory: true) else {
            Issue.record("expected a damaged directory"); return
        }
        #expect(problems.count == 1 && problems[0].contains("y.txt"))
        // a tampered manifest does not hash to its name
        let manifestPath = store.objectURL(for: entry.hash, isDirectory: true).path
        _ = chmod(manifestPath, 0o644)
        try Data("pipe-manifest 1\n".utf8).write(to: URL(fileURLWithPath: manifestPath))
        #expect { try store.manifest(for: entry.hash) } throws: { ($0 as? PipeError)?.code == .cacheCorrupt }
    }

    @Test("a file that changed since it was hashed is refused by save")
    func saveRejectsChangedContent() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("f", "one")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "f"))
        try repo.write("f", "two")
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        #expect { try store.save(repoPath: "f", repoRoot: repo.url, entry: entry) } throws: { ($0 as? PipeError)?.message.contains("changed") == true }
        #expect(!store.contains(entry.hash))
        #expect(try SystemCall.listDirectory(store.temporaryURL.path).isEmpty)
    }

    @Test("move mode renames the file into the store without copying and checkout links it back")
    func moveMode() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("big.bin", "payload")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "big.bin"))
        var before = stat()
        _ = stat(repo.path + "/big.bin", &before)
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "big.bin", repoRoot: repo.url, entry: entry, mode: .move)
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/big.bin"))
        var object = stat()
        _ = stat(store.objectURL(for: entry.hash).path, &object)
        #expect(object.st_ino == before.st_ino)
        try store.checkout(entry, to: repo.url.appendingPathComponent("big.bin"),
                           options: .init(strategies: [.hardlink, .copy]))
        #expect(repo.read("big.bin") == "payload")
    }

    @Test("an interrupted directory checkout leaves the previous content and no staging debris")
    func checkoutIsAtomic() throws {
        let repo = try HashingScratchDirectory()
        for i in 0..<5 { try repo.write("out/f\(i)", "v1-\(i)") }
        let v1 = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "out", repoRoot: repo.url, entry: v1)
        try SystemCall.removeTree(repo.path + "/out")
        for i in 0..<3 { try repo.write("out/g\(i)", "v2-\(i)") }
        let v2 = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out"))
        #expect(throws: ObjectStore.InjectedCheckoutFailure.self) {
            try store.checkout(v1, to: repo.url.appendingPathComponent("out"), options: .init(failAfterFiles: 3))
        }
        #expect(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out") == v2)
        #expect(Set(try SystemCall.listDirectory(repo.path)) == ["out", ".cache"])
        try store.checkout(v1, to: repo.url.appendingPathComponent("out"))
        #expect(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "out") == v1)
        // a single file too
        try repo.write("one", "old")
        try repo.write("tmp-new", "new")
        let newEntry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "tmp-new"))
        try store.save(repoPath: "tmp-new", repoRoot: repo.url, entry: newEntry)
        #expect(throws: ObjectStore.InjectedCheckoutFailure.self) {
            try store.checkout(newEntry, to: repo.url.appendingPathComponent("one"), options: .init(failAfterFiles: 0))
        }
        #expect(repo.read("one") == "old")
    }

    @Test("remove deletes an object and missing objects are not an error")
    func removeObjects() throws {
        let repo = try HashingScratchDirectory()
        try repo.write("f", "x")
        let entry = try #require(try FileHasher(repoRoot: repo.url).hashEntry(repoPath: "f"))
        let store = ObjectStore(cacheRoot: repo.url.appendingPathComponent(".cache"))
        try store.save(repoPath: "f", repoRoot: repo.url, entry: entry)
        try store.remove(entry.hash)
        try store.remove(entry.hash)
        #expect(try store.allObjectHashes().isEmpty)
    }
}
