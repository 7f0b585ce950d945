import Foundation
import Testing

/// A temporary repository in which the built data-stage executables run as the engine runs them: cwd = root,
/// `PIPE_STAGE`, `PIPE_REPO_ROOT` and `PIPE_PARAMS` in the environment.
struct DataStageRepo {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("data-stages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs stage executable `name` with `params` (a JSON object text, or nil to leave PIPE_PARAMS unset).
    @discardableResult
    func run(_ name: String, params: String?, arguments: [String] = []) throws -> Run {
        let process = Process()
        process.executableURL = Self.executable(name)
        process.arguments = arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["PIPE_STAGE"] = name
        environment["PIPE_REPO_ROOT"] = root.path
        environment["PIPE_PARAMS"] = params
        process.environment = environment
        let outURL = root.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errURL = root.appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: root.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    func data(_ path: String) -> Data? { FileManager.default.contents(atPath: root.appendingPathComponent(path).path) }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The parsed JSON object at `path`.
    func json(_ path: String) throws -> [String: Any] {
        let data = try #require(self.data(path), "missing \(path)")
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The stage executable built beside this test bundle.
    static func executable(_ name: String) -> URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent(name).path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name)
    }
}
