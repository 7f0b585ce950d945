import Foundation
import Testing

/// The built `triage-serve` binary: bad start-up exits 2 with one line; SIGTERM lets an in-flight request finish
/// and exits 0.
@Suite struct ServeBinaryTests {
    let fixture = ServeFixture.shared

    static func executable() -> URL {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while !FileManager.default.isExecutableFile(atPath: dir.appendingPathComponent("triage-serve").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("triage-serve")
    }

    @Test func aMissingModelExitsTwoWithOneLine() throws {
        let process = Process()
        process.executableURL = Self.executable()
        process.arguments = ["--model", "/nonexistent/merged", "--port", "0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(text.hasPrefix("triage-serve: error: /nonexistent/merged/config.json does not exist"))
        #expect(text.split(separator: "\n").count == 1, "\(text)")
    }

    @Test func usageErrorsExitTwo() throws {
        let process = Process()
        process.executableURL = Self.executable()
        process.arguments = ["--base", "models/base"]
        process.standardError = Pipe()
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
    }

    @Test func sigtermLetsTheInFlightRequestFinishAndExitsZero() throws {
        let process = Process()
        process.executableURL = Self.executable()
        process.arguments = ["--model", fixture.directory, "--evaluation-report", fixture.report, "--port", "0",
                             "--max-tokens-limit", "3000"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let port = try #require(Self.listeningPort(out.fileHandleForReading))
        // A long streamed completion: once its first chunk arrived it is in flight; then SIGTERM.
        let connection = try LoopbackConnection(port: port)
        let body = #"{"messages":[{"role":"user","content":"chest pain"}],"max_tokens":3000,"stream":true}"#
        try connection.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body)
        let head = try connection.read(until: "\"content\"")
        #expect(head.hasPrefix("HTTP/1.1 200"))
        kill(process.processIdentifier, SIGTERM)
        let rest = head + (try connection.readToEnd())
        #expect(rest.contains(#""finish_reason":"length""#), "the in-flight completion ran to max_tokens")
        #expect(rest.contains("data: [DONE]"))
        let exited = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { process.waitUntilExit(); exited.signal() }
        #expect(exited.wait(timeout: .now() + 60) == .success)
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    /// Reads stdout lines until `triage-serve: listening on http://HOST:PORT` (bounded by the process's output).
    static func listeningPort(_ handle: FileHandle) -> Int? {
        var buffer = ""
        while true {
            let data = handle.availableData
            guard !data.isEmpty else { return nil }
            buffer += String(decoding: data, as: UTF8.self)
            if let line = buffer.split(separator: "\n").first(where: { $0.contains("listening on http://") }),
               let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
                return port
            }
        }
    }
}
