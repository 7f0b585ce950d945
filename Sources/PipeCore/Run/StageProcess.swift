import Foundation

/// Runs one stage command as a child in its own process group, streaming its output and keeping a stderr tail.
///
/// Its own group lets SIGINT/SIGTERM reach the whole stage (shell pipelines included) and nothing else.
public final class StageProcess: @unchecked Sendable {
    /// How a finished command ended.
    public struct Outcome: Sendable {
        public var exitStatus: Int32
        /// Set when the command died of a signal.
        public var signal: Int32?
        /// The last lines the command wrote on stderr.
        public var stderrTail: [String]
        public var succeeded: Bool { exitStatus == 0 && signal == nil }
    }

    /// Receives each line the child writes on stderr (progress lines included) and stdout, tagged.
    public typealias LineSink = @Sendable (_ line: String, _ isStderr: Bool) -> Void

    private let lock = NSLock()
    private var pid: pid_t = 0
    private let forwardsSignals: Bool

    /// A process runner; with `forwardsSignals` false, SIGINT/SIGTERM to pipe are not passed on to the child (for
    /// the batch system's own commands, e.g. the `scancel` run after an interrupt).
    public init(forwardsSignals: Bool = true) { self.forwardsSignals = forwardsSignals }

    /// Spawns `argv` in `directory` with `environment` and waits for it.
    public func run(argv: [String], directory: URL, environment: [String: String], tailLines: Int = 20,
                    sink: @escaping LineSink) throws -> Outcome {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw PipeError.io("cannot create a pipe", path: directory.path) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] { posix_spawn_file_actions_addclose(&actions, fd) }

        var attrs = posix_spawnattr_t()
        posix_spawnattr_init(&attrs)
        defer { posix_spawnattr_destroy(&attrs) }
        posix_spawnattr_setpgroup(&attrs, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attrs, &defaults)
        var noMask = sigset_t()
        sigemptyset(&noMask)
        posix_spawnattr_setsigmask(&attrs, &noMask)
        posix_spawnattr_setflags(&attrs, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // Enter the working directory through a POSIX shell trampoline (glibc's addchdir_np is not exported to Swift).
        let launch = ["/bin/sh", "-c", "cd -- \"$0\" && exec \"$@\"", directory.path] + argv
        let cArgs: [UnsafeMutablePointer<CChar>?] = launch.map { strdup($0) } + [nil]
        let cEnv: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in cArgs + cEnv { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, launch[0], &actions, &attrs, cArgs, cEnv)
        close(outPipe[1])
        close(errPipe[1])
        guard rc == 0 else {
            close(outPipe[0]); close(errPipe[0])
            throw PipeError(.stageFailed, "cannot start \(argv[0]): \(String(cString: strerror(rc)))",
                            fix: "check that the command exists and is executable")
        }
        lock.withLock { pid = child }
        if forwardsSignals { SignalForwarding.register(child) }

        let tail = TailBuffer(limit: tailLines)
        let group = DispatchGroup()
        for (fd, isErr) in [(outPipe[0], false), (errPipe[0], true)] {
            group.enter()
            Thread.detachNewThread {
                StageProcess.pump(fd: fd) { line in
                    if isErr { tail.append(line) }
                    sink(line, isErr)
                }
                close(fd)
                group.leave()
            }
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        group.wait()
        lock.withLock { pid = 0 }
        if forwardsSignals { SignalForwarding.unregister(child) }
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Outcome(exitStatus: signaled ? 128 + (status & 0x7f) : (status >> 8) & 0xff,
                       signal: signaled ? status & 0x7f : nil, stderrTail: tail.lines)
    }

    /// Sends `signal` to the running command's whole process group; a no-op when nothing runs.
    public func signal(_ signal: Int32) {
        lock.withLock {
            if pid > 0 { kill(-pid, signal) }
        }
    }

    private static func pump(fd: Int32, line: (String) -> Void) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending.append(contentsOf: buffer[0..<n])
            var start = 0
            while let nl = pending[start...].firstIndex(of: 10) {
                line(String(decoding: pending[start..<nl], as: UTF8.self))
                start = nl + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty { line(String(decoding: pending, as: UTF8.self)) }
    }
}

/// The last `limit` lines written, for failure messages.
final class TailBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    let limit: Int
    init(limit: Int) { self.limit = limit }
    func append(_ line: String) {
        lock.withLock {
            storage.append(line)
            if storage.count > limit { storage.removeFirst(storage.count - limit) }
        }
    }
    var lines: [String] { lock.withLock { storage } }
}
