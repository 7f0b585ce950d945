import Foundation
import Testing
@testable import PipeCore

@Suite struct ManifestTests {
    let h1 = ContentHash(high: 1, low: 2)
    let h2 = ContentHash(high: 0xdead_beef, low: 0xffff_ffff_ffff_ffff)

    @Test("entries are sorted by path bytes whatever order they arrive in")
    func sortedByPathBytes() {
        let m = DirectoryManifest(entries: [
            .init(path: "b", hash: h1, size: 1), .init(path: "a/z", hash: h1, size: 1),
            .init(path: "a.txt", hash: h1, size: 1), .init(path: "B", hash: h1, size: 1),
            .init(path: "é", hash: h1, size: 1), .init(path: "a/b", hash: h1, size: 1),
        ])
        // byte order: "B" (0x42) < "a.txt" ('.' 0x2e) < "a/b" ('/' 0x2f) < "a/z" < "b" < "é" (0xc3)
        #expect(m.entries.map(\.path) == ["B", "a.txt", "a/b", "a/z", "b", "é"])
        let shuffled = DirectoryManifest(entries: m.entries.reversed())
        #expect(shuffled.serialized() == m.serialized())
        #expect(shuffled.hash == m.hash)
    }

    @Test("the serialisation is the documented length-tagged text and round-trips")
    func serialisationIsCanonicalAndRoundTrips() throws {
        let m = DirectoryManifest(entries: [.init(path: "dir/with space\nnewline", hash: h2, size: 42, isExecutable: true),
                                            .init(path: "a", hash: h1, size: 0)])
        let text = String(decoding: m.serialized(), as: UTF8.self)
        #expect(text == "pipe-manifest 1\n"
            + "00000000000000010000000000000002 0 - 1:a\n"
            + "00000000deadbeefffffffffffffffff 42 x 22:dir/with space\nnewline\n")
        let back = try DirectoryManifest(parsing: m.serialized(), source: "m.dir")
        #expect(back == m)
        #expect(m.fileCount == 2 && m.totalSize == 42)
        #expect(m.hash == XXH3Hasher.hash(m.serialized()))
    }

    @Test("the executable bit, a size or a name change the directory hash")
    func everyFieldChangesTheHash() {
        let base = DirectoryManifest(entries: [.init(path: "run.sh", hash: h1, size: 3)])
        let exec = DirectoryManifest(entries: [.init(path: "run.sh", hash: h1, size: 3, isExecutable: true)])
        let size = DirectoryManifest(entries: [.init(path: "run.sh", hash: h1, size: 4)])
        let name = DirectoryManifest(entries: [.init(path: "run.py", hash: h1, size: 3)])
        let hashes = Set([base.hash, exec.hash, size.hash, name.hash])
        #expect(hashes.count == 4)
    }

    @Test("malformed, unsorted or escaping manifests are rejected as corrupt with a line number")
    func rejectsMalformedManifests() {
        let good = "pipe-manifest 1\n00000000000000010000000000000002 0 - 1:a\n"
        let bad = [
            "pipe-manifest 2\n",
            good + "00000000000000010000000000000002 0 - 1:a\n",                 // duplicate
            "pipe-manifest 1\n00000000000000010000000000000002 0 - 1:b\n00000000000000010000000000000002 0 - 1:a\n",
            "pipe-manifest 1\n00000000000000010000000000000002 0 - 5:../up\n",
            "pipe-manifest 1\n00000000000000010000000000000002 0 - 2:/a\n",
            "pipe-manifest 1\n00000000000000010000000000000002 0 - 9:a\n",             // length past the end
            "pipe-manifest 1\n0000000000000001000000000000000 0 - 1:a\n",              // 31 hex digits
            "pipe-manifest 1\n00000000000000010000000000000002 -1 - 1:a\n",
            "pipe-manifest 1\n00000000000000010000000000000002 0 r 1:a\n",
            "pipe-manifest 1\n00000000000000010000000000000002 0 - 1:a",                // no final newline
        ]
        #expect((try? DirectoryManifest(parsing: Array(good.utf8), source: "x")) != nil)
        for text in bad {
            #expect(throws: PipeError.self, "\(text.debugDescription)") {
                try DirectoryManifest(parsing: Array(text.utf8), source: "x.dir")
            }
        }
        do {
            _ = try DirectoryManifest(parsing: Array(bad[2].utf8), source: "x.dir")
        } catch {
            #expect(error.code == .cacheCorrupt)
            #expect(error.location?.line == 3)
        }
    }

    @Test("an empty directory has a manifest of just the header")
    func emptyManifest() {
        let m = DirectoryManifest(entries: [])
        #expect(m.serialized() == Array(DirectoryManifest.header.utf8))
        #expect(m.fileCount == 0 && m.totalSize == 0)
    }
}
