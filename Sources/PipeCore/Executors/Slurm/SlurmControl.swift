import Foundation

/// The four things pipe asks of a Slurm controller; `SlurmCommandLine` does them with the real commands, a fake
/// may stand in for fast unit tests of the executor's bookkeeping.
public protocol SlurmControl: Sendable {
    /// Submits the batch script at `script` with `arguments` (flags before the script) and `environment`
    /// (exported to the job); returns the job id.
    func submit(script: URL, arguments: [String], environment: [String: String]) throws -> String
    /// The status of each of `ids` the controller still knows (finished jobs stay `MinJobAge` seconds); an id
    /// missing from the result is unknown to it.
    func statuses(of ids: [String]) throws -> [String: SlurmJobStatus]
    /// Asks the controller to cancel `ids` (already finished ones are ignored).
    func cancel(_ ids: [String]) throws
}

/// `sbatch --parsable`, `squeue --states=all` and `scancel`, each run through `StageProcess` (not forwarding
/// pipe's signals: the `scancel` after a Ctrl-C must not be interrupted by it). No accounting daemon is needed.
public struct SlurmCommandLine: SlurmControl {
    /// The directory the commands run in.
    public var directory: URL

    /// Commands run in `directory`.
    public init(directory: URL) { self.directory = directory }

    /// Whether `sbatch` is on PATH.
    public static func isAvailable() -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/sbatch")
        }
    }

    public func submit(script: URL, arguments: [String], environment: [String: String]) throws -> String {
        let (status, out, err) = try call(["sbatch", "--parsable"] + arguments + [script.path], environment: environment)
        // --parsable prints "ID" or "ID;CLUSTER".
        guard status == 0, let id = out.last?.split(separator: ";").first.map(String.init), Int(id) != nil else {
            throw PipeError(.stageFailed, "sbatch refused its job: "
                            + (err + out).suffix(3).joined(separator: " | "),
                            fix: "check the stage's resources against the cluster (partition, memory, time limit)")
        }
        return id
    }

    public func statuses(of ids: [String]) throws -> [String: SlurmJobStatus] {
        guard !ids.isEmpty else { return [:] }
        let (status, out, err) = try call(["squeue", "-h", "--states=all", "-j", ids.joined(separator: ","),
                                           "-O", SlurmJobStatus.queueFormat])
        if status != 0 {
            // Every id unknown (purged after MinJobAge): squeue says so and exits 1.
            if err.contains(where: { $0.contains("Invalid job id") }) { return [:] }
            throw PipeError(.stageFailed, "squeue failed: " + err.suffix(3).joined(separator: " | "),
                            fix: "check that slurmctld answers (`sinfo`); for the test cluster: bash scripts/slurm.sh start")
        }
        return SlurmJobStatus.parseQueue(out)
    }

    public func cancel(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        let (status, _, err) = try call(["scancel"] + ids)
        if status != 0 && !err.allSatisfy({ $0.contains("Invalid job id") || $0.contains("already completing or completed") }) {
            throw PipeError(.stageFailed, "scancel \(ids.joined(separator: " ")) failed: " + err.suffix(3).joined(separator: " | "),
                            fix: "cancel them by hand: scancel \(ids.joined(separator: " "))")
        }
    }

    /// Runs `argv`, collecting its stdout and stderr lines.
    private func call(_ argv: [String], environment: [String: String]? = nil) throws -> (Int32, [String], [String]) {
        let lines = Lines()
        let outcome = try StageProcess(forwardsSignals: false)
            .run(argv: argv, directory: directory, environment: environment ?? ProcessInfo.processInfo.environment,
                 tailLines: 50) { line, isErr in lines.append(line, isErr) }
        return (outcome.exitStatus, lines.out, lines.err)
    }

    private final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stdout: [String] = []
        private var stderr: [String] = []
        func append(_ line: String, _ isErr: Bool) { lock.withLock { if isErr { stderr.append(line) } else { stdout.append(line) } } }
        var out: [String] { lock.withLock { stdout } }
        var err: [String] { lock.withLock { stderr } }
    }
}
