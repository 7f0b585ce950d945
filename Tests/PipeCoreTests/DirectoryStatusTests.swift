import Foundation
import Testing
@testable import PipeCore

/// `status` over a directory dependency, in process, through the path summary index: every change to the
/// directory makes the stage stale with `dep big changed`, exactly as without summaries, and undoing it makes
/// the stage up to date again.
@Suite struct DirectoryStatusTests {
    private func makeRepo() throws -> HashingScratchDirectory {
        let dir = try HashingScratchDirectory()
        for i in 0..<30 {
            try dir.write("big/d\(i % 3)/f\(i).txt", "file \(i)\n")
            dir.age("big/d\(i % 3)/f\(i).txt")
        }
        try dir.write("pipeline.yaml", """
            stages:
              count:
                cmd: ls -R big > count.txt
                deps: [big]
                outs: [count.txt]
            """)
        _ = try Project.open(from: dir.url).reproducer(events: { _ in }).run(ReproOptions())
        return dir
    }

    /// One `pipe status`, as a new process would run it: the reasons of stage `count` and the summary hits.
    private func status(_ dir: HashingScratchDirectory) throws -> (reasons: [InvalidationReason], summaryHits: Int) {
        let project = try Project.open(from: dir.url)
        let statuses = try project.status()
        let hits = (project.invalidation.hashing as? WorkspaceHashing)?.hasher.counters.summaryHits ?? -1
        return (try #require(statuses.first { $0.stage == "count" }).reasons, hits)
    }

    @Test("an unchanged directory dep is up to date from its fingerprint; each change and its undo flip the status")
    func changesFlipStatus() throws {
        let dir = try makeRepo()
        _ = try status(dir)                                   // records the summaries once nothing is racy
        dir.age("count.txt")
        _ = try status(dir)
        let quiet = try status(dir)
        #expect(quiet.reasons.isEmpty)
        #expect(quiet.summaryHits == 2)                       // the dep and the out, no file looked up
        let path = dir.path + "/big/d1/"
        let changes: [(String, () throws -> Void, () throws -> Void)] = [
            ("same size, new mtime",
             { try dir.write("big/d1/f1.txt", "FILE 1\n"); dir.age("big/d1/f1.txt", seconds: 30) },
             { try dir.write("big/d1/f1.txt", "file 1\n"); dir.age("big/d1/f1.txt", seconds: 20) }),
            ("added", { try dir.write("big/d1/new.txt", "n\n"); dir.age("big/d1/new.txt") },
             { try FileManager.default.removeItem(atPath: path + "new.txt") }),
            ("removed", { try FileManager.default.moveItem(atPath: path + "f4.txt", toPath: dir.path + "/f4.saved") },
             { try FileManager.default.moveItem(atPath: dir.path + "/f4.saved", toPath: path + "f4.txt") }),
            ("renamed", { try FileManager.default.moveItem(atPath: path + "f7.txt", toPath: path + "g7.txt") },
             { try FileManager.default.moveItem(atPath: path + "g7.txt", toPath: path + "f7.txt") }),
            ("chmod +x", { _ = chmod(path + "f10.txt", 0o755) }, { _ = chmod(path + "f10.txt", 0o644) }),
        ]
        for (what, change, undo) in changes {
            try change()
            #expect(try status(dir).reasons == [.depChanged(path: "big")], "\(what)")
            #expect(try status(dir).summaryHits == 2, "\(what): the changed state is remembered too")
            try undo()
            #expect(try status(dir).reasons.isEmpty, "\(what) undone")
        }
    }

    @Test("a corrupt paths.index never makes a changed directory look unchanged")
    func corruptIndexEntry() throws {
        let dir = try makeRepo()
        _ = try status(dir)
        let url = dir.url.appendingPathComponent(".cache/paths.index")
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count - 40] ^= 0x10                        // inside the last entry's recorded hash
        try bytes.write(to: url)
        try dir.write("big/d0/f0.txt", "FILE 0\n")
        dir.age("big/d0/f0.txt", seconds: 30)
        #expect(try status(dir).reasons == [.depChanged(path: "big")])
        try dir.write("big/d0/f0.txt", "file 0\n")
        dir.age("big/d0/f0.txt", seconds: 20)
        try bytes.write(to: url)                              // damaged again, with the tree back as locked
        #expect(try status(dir).reasons.isEmpty)
    }
}
