import Foundation

/// Runs `git` in a directory and returns what it printed; the one place PipeCore starts git.
public enum GitRunner {
    /// What a git command did.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Everything printed on stdout.
        public var stdout: Data
        /// stderr, trimmed, for error messages.
        public var stderr: String
        /// stdout as text, trimmed.
        public var text: String { String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
    }

    /// Runs `git ARGS` in `directory`, feeding `input` on stdin.
    ///
    /// - Throws: `.io` when git cannot be started at all (not installed).
    public static func run(_ args: [String], in directory: URL, input: Data? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + args
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        do { try process.run() } catch {
            throw PipeError.io("cannot run git", path: directory.path, underlying: error, fix: "install git")
        }
        if let input {
            // Fed from another thread so a large input never blocks against git's full stdout pipe.
            let writer = inPipe.fileHandleForWriting
            Thread.detachNewThread {
                writer.write(input)
                try? writer.close()
            }
        }
        let errorBox = DataBox()
        let errorReader = Thread {
            errorBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errorBox.done.signal()
        }
        errorReader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        errorBox.done.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: stdout,
                      stderr: String(decoding: errorBox.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `git rev-parse HEAD` in `directory`, or nil when it is not a git work tree or has no commit yet.
    public static func headCommit(in directory: URL) -> String? {
        guard let out = try? run(["rev-parse", "--verify", "-q", "HEAD"], in: directory), out.status == 0,
              !out.text.isEmpty else { return nil }
        return out.text
    }

    private final class DataBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
