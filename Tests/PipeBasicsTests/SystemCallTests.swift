import Glibc
import Testing
import PipeBasics

@Suite struct SystemCallTests {
    @Test("a failed open names the function, the path and the errno text")
    func openErrorNamesPath() throws {
        let dir = try ScratchDirectory()
        let path = dir.path + "/missing/file"
        #expect(throws: SystemCallError("open", path: path, errno: ENOENT)) {
            try SystemCall.open(path, O_RDONLY)
        }
        let error = SystemCallError("open", path: path, errno: ENOENT)
        #expect(error.description == "open \(path): No such file or directory (errno 2)")
    }

    @Test("removing a file that is already gone is not an error; removing a non-empty directory as a file is")
    func removeFile() throws {
        let dir = try ScratchDirectory()
        try SystemCall.removeFile(dir.path + "/never-there")
        try SystemCall.makeDirectories(dir.path + "/d/e")
        #expect { try SystemCall.removeFile(dir.path + "/d") } throws: { error in
            (error as? SystemCallError)?.path == dir.path + "/d" && (error as? SystemCallError)?.function == "unlink"
        }
    }

    @Test("status reports nil for a missing entry and the size and type of an existing one")
    func status() throws {
        let dir = try ScratchDirectory()
        #expect(try SystemCall.status(dir.path + "/nothing") == nil)
        try AtomicFileWriter.write("12345", to: dir.path + "/five")
        let status = try #require(try SystemCall.status(dir.path + "/five"))
        #expect(status.size == 5 && status.isRegularFile && !status.isDirectory)
    }

    @Test("copying contents moves every byte from one descriptor to another")
    func copyContents() throws {
        let dir = try ScratchDirectory()
        try AtomicFileWriter.write(String(repeating: "abc", count: 1000), to: dir.path + "/src")
        let src = try SystemCall.open(dir.path + "/src", O_RDONLY)
        defer { SystemCall.close(src) }
        let dst = try SystemCall.open(dir.path + "/dst", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        try SystemCall.copyContents(from: src, to: dst)
        SystemCall.close(dst)
        #expect(dir.read("dst") == String(repeating: "abc", count: 1000))
    }

    @Test("an exclusive lock is refused to a second open of the same file until the first unlocks")
    func exclusiveLock() throws {
        let dir = try ScratchDirectory()
        let first = try SystemCall.open(dir.path + "/repo.lock", O_RDWR | O_CREAT, 0o644)
        let second = try SystemCall.open(dir.path + "/repo.lock", O_RDWR)
        defer { SystemCall.close(first); SystemCall.close(second) }
        #expect(SystemCall.tryLockExclusive(first))
        #expect(!SystemCall.tryLockExclusive(second))
        SystemCall.unlock(first)
        #expect(SystemCall.tryLockExclusive(second))
    }

    @Test("truncating and writing at an offset leave exactly the bytes written")
    func truncateAndWriteAt() throws {
        let dir = try ScratchDirectory()
        try AtomicFileWriter.write("a long old pid\n", to: dir.path + "/pid")
        let fd = try SystemCall.open(dir.path + "/pid", O_RDWR)
        defer { SystemCall.close(fd) }
        try SystemCall.truncate(fd)
        try Array("42\n".utf8).withUnsafeBytes { try SystemCall.writeAll(fd, $0, at: 0) }
        #expect(dir.read("pid") == "42\n")
    }
}
