import ArgumentParser
import Foundation
import PipeCore
#if Network
import PipeHTTP
import PipeRemotes
#endif

/// The options `push`, `fetch` and `pull` share.
struct TransferOptions: ParsableArguments {
    @OptionGroup var repo: RepoOptions
    @Argument(help: "Stages, or paths of cached outs, whose outs to transfer; all when omitted.") var stages: [String] = []
    @Option(name: [.customShort("r"), .customLong("remote")], help: "The remote (else the default remote).")
    var remote: String?
    @Option(name: [.customShort("j"), .customLong("jobs")], help: "Transfers at once (else the remote's jobs, else 16 per core up to 64).")
    var jobs: Int?
    @Flag(help: "Also the outs every commit's pipe.lock names (git rev-list --all).") var allCommits = false
    @Flag(name: [.customShort("a"), .customLong("all-branches")], help: "Also the outs every branch tip's pipe.lock names.")
    var allBranches = false
    @Flag(name: [.customShort("T"), .customLong("all-tags")], help: "Also the outs every tag's pipe.lock names.")
    var allTags = false
    @Flag(help: "Also the run cache: entries go after the objects they name.") var runCache = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    var request: Project.RemoteRequest {
        Project.RemoteRequest(targets: stages, remote: remote, jobs: jobs, allCommits: allCommits, runCache: runCache,
                              allBranches: allBranches, allTags: allTags)
    }
}

/// Prints a transfer's failures and summary, and maps failures to exit 1.
enum TransferPrinter {
    static func finish(_ report: TransferReport, verb: String, place: String) throws {
        for path in report.missing { Terminal.printErr("warning: \(path): not in the cache or on the remote") }
        for failure in report.failures { Terminal.printErr("error: \(failure.path) (object \(failure.object)): \(failure.reason)") }
        if report.transferred == 0 && report.failures.isEmpty {
            // DVC's words when nothing had to move, with how much was already in place
            let n = report.alreadyPresent
            print("Everything is up to date (\(n) object\(n == 1 ? "" : "s") already \(place)).")
        } else {
            print(report.summary(verb: verb, place: place))
        }
        if !report.failures.isEmpty {
            throw PipeError(.transferFailed, "\(report.failures.count) object\(report.failures.count == 1 ? "" : "s") failed",
                            fix: "fix the causes above and run the command again: what arrived is kept, only the rest moves")
        }
    }

    /// A progress line on stderr when it is a terminal: objects, bytes and rate, redrawn at most 10 times a second.
    static func progress(_ label: String) -> @Sendable (Int64) -> Void {
        guard isatty(2) == 1 else { return { _ in } }
        let meter = TransferMeter(label: label)
        return { meter.add($0) }
    }
}

/// The counters behind a progress line.
final class TransferMeter: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let start = Date()
    private var objects = 0
    private var bytes: Int64 = 0
    private var lastDraw = Date.distantPast

    init(label: String) { self.label = label }

    func add(_ n: Int64) {
        lock.lock(); defer { lock.unlock() }
        objects += 1
        bytes += n
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let rate = Double(bytes) / max(now.timeIntervalSince(start), 0.001)
        FileHandle.standardError.write(Data("\r\u{1B}[K\(label): \(objects) objects, \(ByteCount.text(bytes)), \(ByteCount.text(Int64(rate)))/s".utf8))
    }

    deinit { if objects > 0 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}

/// A command whose work is transfers (push, fetch, pull): `PipeCommand.main` prepares its process with
/// `TransferProcess.prepare()` before it runs.
protocol TransferCommand {}

/// The process set-up transfer commands share.
enum TransferProcess {
    /// Runs Swift concurrency on the HTTP event loops (`HTTPTransport.runConcurrencyOnEventLoops`); call on the
    /// main thread before the command's first task.
    static func prepare() {
        #if Network
        HTTPTransport.runConcurrencyOnEventLoops()
        #endif
    }
}

/// `pipe push`: send cached outs to their remotes.
struct PushCommand: AsyncParsableCommand, TransferCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Send the cached outs the remote lacks (files first, manifests last).")
    @OptionGroup var options: TransferOptions

    func run() async throws {
        let project = try options.repo.project(validateDeps: false)
        let report = try await RemoteStorages.with { factory in
            try await project.push(options.request, factory: factory, progress: TransferPrinter.progress("pushing"))
        }
        try TransferPrinter.finish(report, verb: "pushed", place: "on the remote")
    }
}

/// `pipe fetch`: download cached outs into `.cache` without touching the workspace.
struct FetchCommand: AsyncParsableCommand, TransferCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Download the outs .cache lacks from their remotes (verified), without checkout.")
    @OptionGroup var options: TransferOptions

    func run() async throws {
        try await options.fetch(label: "fetching", checkout: false)
    }
}

/// `pipe pull`: fetch, then check the outs out into the workspace.
struct PullCommand: AsyncParsableCommand, TransferCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "fetch, then checkout: put the locked outs in the workspace.")
    @OptionGroup var options: TransferOptions
    @Flag(name: [.customShort("f"), .customLong("force")],
          help: "Overwrite outs modified in the workspace whose content is not in the cache (their changes are lost).")
    var force = false

    func run() async throws {
        try await options.fetch(label: "pulling", checkout: true, force: force)
    }
}

extension TransferOptions {
    /// Fetches the selected outs (showing `label` in the progress line), then checks them out when asked.
    func fetch(label: String, checkout: Bool, force: Bool = false) async throws {
        let project = try repo.project(validateDeps: false)
        let report = try await RemoteStorages.with { factory in
            try await project.fetch(request, factory: factory, progress: TransferPrinter.progress(label))
        }
        if checkout {
            do {
                for path in try project.checkoutPulled(targets: stages, force: force).restored { print("restored \(path)") }
            } catch {
                try? TransferPrinter.finish(report, verb: "fetched", place: "in the cache")
                throw error
            }
        }
        try TransferPrinter.finish(report, verb: "fetched", place: "in the cache")
    }
}

#if Network
/// The storages this executable can open: directories and S3, over one HTTP transport per command.
enum RemoteStorages {
    /// Runs `body` with a factory whose S3 storages share one connection pool, shut down afterwards.
    static func with<T>(_ body: (RemoteStorageFactory) async throws -> T) async throws -> T {
        let transport = HTTPTransport()
        do {
            let result = try await body(.withS3(transport: transport))
            try? await transport.shutdown()
            return result
        } catch {
            try? await transport.shutdown()
            throw error
        }
    }
}
#else
/// The storages a `pipe` built without the `Network` trait can open: directories (an S3 remote is an error
/// saying how to build a `pipe` that reaches it).
enum RemoteStorages {
    /// Runs `body` with the directory-only factory.
    static func with<T>(_ body: (RemoteStorageFactory) async throws -> T) async throws -> T {
        try await body(.directories)
    }
}
#endif
