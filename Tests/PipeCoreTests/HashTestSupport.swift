import Foundation
import Testing
@testable import PipeCore

/// A fresh temporary directory for one test, removed when the value is deinitialised.
final class HashingScratchDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipe-hash-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        _ = try? SystemCall.removeTree(url.path)
    }

    /// Writes `text` at the relative path, creating parent directories.
    @discardableResult
    func write(_ relative: String, _ text: String, executable: Bool = false) throws -> URL {
        try write(relative, Data(text.utf8), executable: executable)
    }

    @discardableResult
    func write(_ relative: String, _ data: Data, executable: Bool = false) throws -> URL {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: file.path) { _ = chmod(file.path, 0o644) }
        try data.write(to: file)
        _ = chmod(file.path, executable ? 0o755 : 0o644)
        return file
    }

    func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: url.appendingPathComponent(relative).path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Sets a file's mtime `seconds` into the past, so state-index entries for it are not racy.
    func age(_ relative: String, seconds: Int = 60) {
        var times = [timespec(tv_sec: time(nil) - seconds, tv_nsec: 0), timespec(tv_sec: time(nil) - seconds, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, url.appendingPathComponent(relative).path, &times, 0)
    }
}

/// Runs `xxhsum -H2` on a file and returns the hex digest it prints.
func xxhsumH2(_ path: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/xxhsum")
    process.arguments = ["-H2", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}
