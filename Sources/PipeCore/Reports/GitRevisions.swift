import Foundation

/// Reads files of a pipe repository as they were at a git revision, through the `git` executable.
///
/// The pipe repository may sit in a subdirectory of the git work tree; every path here is relative to the pipe
/// repository root, and the prefix to the git root is added when asking git.
public struct GitRevisions: Sendable {
    /// The pipe repository root (where pipeline.yaml is).
    public let repoRoot: URL
    /// The path of `repoRoot` inside the git work tree (`""` or `sub/dir/`).
    public let prefix: String
    /// The top of the git work tree; git runs there because `ls-tree` and `archive` filter by the current directory.
    public let gitRoot: URL

    /// Opens the git repository holding `repoRoot`; `.usage` when there is none or git is not installed.
    public init(repoRoot: URL) throws {
        let query = ["rev-parse", "--show-toplevel", "--show-prefix"]
        let output: Data
        do {
            output = try Self.succeeded(GitRunner.run(query, in: repoRoot), query, in: repoRoot)
        } catch let error as PipeError {
            throw PipeError(.usage, "comparing revisions needs a git repository, and \(repoRoot.path) is not in one",
                            fix: "run `git init` and commit, or compare against the lock (no revision arguments)",
                            cause: error.cause ?? error.message)
        }
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        self.repoRoot = repoRoot
        self.gitRoot = URL(fileURLWithPath: lines.first.map(String.init) ?? repoRoot.path)
        self.prefix = lines.count > 1 ? String(lines[1]) : ""
    }

    /// The full commit id `revision` names; `.usage` naming the revision when git does not know it.
    public func resolve(_ revision: String) throws -> String {
        do {
            let out = try run(["rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}"])
            return String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw PipeError(.usage, "unknown git revision '\(revision)'",
                            fix: "name a commit, branch or tag (see `git log --oneline`)")
        }
    }

    /// Repo-relative paths of every file `commit` holds under the repository root.
    public func files(at commit: String) throws -> [String] {
        let out = try run(["ls-tree", "-r", "-z", "--name-only", commit + ":" + prefix])
        return out.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of the repo-relative `path` at `commit`; nil when the commit does not hold it.
    public func contents(of path: String, at commit: String) throws -> Data? {
        do {
            return try run(["cat-file", "blob", commit + ":" + prefix + path])
        } catch {
            return nil
        }
    }

    /// Extracts the repo-relative `paths` of `commit` into `directory` (one `git archive`, one `tar`).
    public func extract(_ paths: [String], at commit: String, into directory: URL) throws {
        guard !paths.isEmpty else { return }
        let archive = directory.appendingPathComponent(".snapshot.tar")
        _ = try run(["archive", "--format=tar", "-o", archive.path, commit + ":" + prefix, "--"] + paths)
        try Self.untar(archive, into: directory)
        try? FileManager.default.removeItem(at: archive)
    }

    /// Runs git at the top of the work tree (through `GitRunner`); throws `.io` with git's message on a non-zero exit.
    func run(_ arguments: [String]) throws -> Data {
        try Self.succeeded(GitRunner.run(arguments, in: gitRoot), arguments, in: gitRoot)
    }

    /// The stdout of a git command that exited 0; `.io` naming the command, with git's stderr as the cause, otherwise.
    private static func succeeded(_ output: GitRunner.Output, _ arguments: [String], in directory: URL) throws -> Data {
        guard output.status == 0 else {
            throw PipeError(.io, "git -C \(directory.path) \(arguments.joined(separator: " ")) failed", cause: output.stderr)
        }
        return output.stdout
    }

    /// Unpacks the tar file `archive` into `directory` with `tar -xf`; `.io` with tar's message when it fails.
    private static func untar(_ archive: URL, into directory: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar", "-xf", archive.path, "-C", directory.path]
        let err = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PipeError(.io, "cannot run tar", fix: "install tar", cause: String(describing: error))
        }
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PipeError(.io, "tar -xf \(archive.path) -C \(directory.path) failed",
                            cause: String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
