import Foundation
import Glibc
import Testing
import PipeBasics

@Suite struct AtomicFileWriterTests {
    @Test("a write replaces the file with the given mode, creating parents, and leaves no temp file")
    func replaces() throws {
        let dir = try ScratchDirectory()
        try AtomicFileWriter.write("one", to: dir.path + "/sub/out.json")
        try AtomicFileWriter.write("two", to: dir.path + "/sub/out.json", permissions: 0o600)
        #expect(dir.read("sub/out.json") == "two")
        #expect(try SystemCall.status(dir.path + "/sub/out.json").map { $0.mode & 0o777 } == 0o600)
        #expect(try SystemCall.listDirectory(dir.path + "/sub") == ["out.json"])
    }

    @Test("an injected failure mid-file or before the rename leaves the old content and no debris",
          arguments: [AtomicFileWriter.FailurePoint.afterWriting(bytes: 3), .afterWriting(bytes: 0), .beforeRename])
    func injectedFailureKeepsOldContent(point: AtomicFileWriter.FailurePoint) throws {
        let dir = try ScratchDirectory()
        let path = dir.path + "/pipe.lock"
        try AtomicFileWriter.write("old contents", to: path)
        #expect(throws: AtomicFileWriter.InjectedFailure(point: point)) {
            try AtomicFileWriter.write(Array("new contents that are longer".utf8), to: path, failingAt: point)
        }
        #expect(dir.read("pipe.lock") == "old contents")
        #expect(try dir.names() == ["pipe.lock"])
    }

    @Test("a streamed write is invisible until commit, and an aborted or dropped writer leaves nothing")
    func streamedWrite() throws {
        let dir = try ScratchDirectory()
        let path = dir.path + "/big.bin"
        let writer = try AtomicFileWriter(destination: path)
        let block = [UInt8](repeating: 7, count: 700_000)
        try writer.write(block)
        try writer.write(block)
        #expect(dir.read("big.bin") == nil)
        try writer.commit()
        #expect(try SystemCall.status(path)?.size == 1_400_000)
        do {
            let aborted = try AtomicFileWriter(destination: dir.path + "/a")
            try aborted.write("partial")
            aborted.abort()
            let dropped = try AtomicFileWriter(destination: dir.path + "/b")
            try dropped.write("dropped without commit")
        }
        #expect(try dir.names() == ["big.bin"])
    }

    @Test("a write where a file blocks the directory fails naming the destination and the failed call")
    func failureNamesPath() throws {
        let dir = try ScratchDirectory()
        try AtomicFileWriter.write("x", to: dir.path + "/file")
        let path = dir.path + "/file/inside"
        #expect { try AtomicFileWriter.write("y", to: path) } throws: { error in
            guard let error = error as? AtomicWriteError else { return false }
            return error.destination == path && error.step == .createTemporary && error.cause.function == "open"
                && error.description.contains(path)
        }
    }
}
