import Foundation
import Testing
@testable import PipeCore

@Suite struct AtomicFileTests {
    @Test("a write replaces the file and leaves no temp files behind")
    func writeReplaces() throws {
        let dir = try HashingScratchDirectory()
        let url = dir.url.appendingPathComponent("sub/out.json")
        try AtomicFile.write(Data("one".utf8), to: url)
        try AtomicFile.write(Data("two".utf8), to: url, permissions: 0o600)
        #expect(dir.read("sub/out.json") == "two")
        var st = stat()
        _ = stat(url.path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(try SystemCall.listDirectory(dir.path + "/sub") == ["out.json"])
    }

    @Test("a write interrupted mid-file or before the rename leaves the old file intact and no debris")
    func interruptedWriteKeepsOldFile() throws {
        let dir = try HashingScratchDirectory()
        let url = dir.url.appendingPathComponent("lock.yaml")
        try AtomicFile.write(Data("old contents".utf8), to: url)
        for point in [AtomicFile.FailurePoint.afterWriting(bytes: 3), .beforeRename] {
            #expect(throws: AtomicFile.InjectedFailure(point: point)) {
                try AtomicFile.write(Data("new contents that are longer".utf8), to: url, failingAt: point)
            }
            #expect(dir.read("lock.yaml") == "old contents")
            #expect(try SystemCall.listDirectory(dir.path) == ["lock.yaml"])
        }
    }

    @Test("a write into a directory that cannot hold the file fails with an error naming the path")
    func failureNamesPath() throws {
        let dir = try HashingScratchDirectory()
        try dir.write("file", "x")
        let url = dir.url.appendingPathComponent("file/inside")
        #expect { try AtomicFile.write(Data(), to: url) } throws: { ($0 as? PipeError)?.message.contains(url.path) == true }
    }
}
