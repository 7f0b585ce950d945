import Foundation

/// A Slurm job state as `squeue --states=all` and `scontrol show job` print it (`JobState=`), with what pipe
/// makes of it: whether the job is over, and if so why, in words a user can act on.
public enum SlurmJobState: Sendable, Hashable, CustomStringConvertible {
    /// Still queued or running (PENDING, RUNNING, COMPLETING, CONFIGURING, SUSPENDED, REQUEUED, …): keep waiting.
    case active(String)
    /// Every command exited 0.
    case completed
    /// A command exited non-zero (or the job could not launch).
    case failed
    /// The job ran past its time limit (`runtime:`) and Slurm killed it.
    case timeout
    /// The job used more memory than it asked for (`mem_mb:`), where the cluster enforces it.
    case outOfMemory
    /// `scancel`: by pipe on an interrupt, by the user, or by an administrator.
    case cancelled
    /// The node running the job failed.
    case nodeFail
    /// Another terminal state (BOOT_FAIL, DEADLINE, PREEMPTED, REVOKED, SPECIAL_EXIT).
    case otherEnd(String)

    /// The state named `text` (`CANCELLED by 0` and `CANCELLED+` read as CANCELLED).
    public init(_ text: String) {
        let word = String(text.prefix { $0.isLetter || $0 == "_" }).uppercased()
        switch word {
        case "COMPLETED": self = .completed
        case "FAILED": self = .failed
        case "TIMEOUT": self = .timeout
        case "OUT_OF_MEMORY": self = .outOfMemory
        case "CANCELLED": self = .cancelled
        case "NODE_FAIL": self = .nodeFail
        case "BOOT_FAIL", "DEADLINE", "PREEMPTED", "REVOKED", "SPECIAL_EXIT": self = .otherEnd(word)
        default: self = .active(word.isEmpty ? text : word)
        }
    }

    /// Whether the job is over (nothing of it runs any more).
    public var isTerminal: Bool {
        if case .active = self { return false }
        return true
    }

    /// Slurm's name of the state.
    public var description: String {
        switch self {
        case let .active(name), let .otherEnd(name): name
        case .completed: "COMPLETED"
        case .failed: "FAILED"
        case .timeout: "TIMEOUT"
        case .outOfMemory: "OUT_OF_MEMORY"
        case .cancelled: "CANCELLED"
        case .nodeFail: "NODE_FAIL"
        }
    }
}

/// One job as the controller reports it: state, Slurm's reason, and the batch script's wait status once known.
public struct SlurmJobStatus: Sendable, Equatable {
    /// The job id `sbatch --parsable` printed.
    public var id: String
    public var state: SlurmJobState
    /// Slurm's reason field (`None`, `NonZeroExitCode`, `Priority`, …).
    public var reason: String
    /// The wait status of the batch script (`exit_code` of `squeue -O`: exit code × 256, or the signal number).
    public var waitStatus: Int32?

    /// A status; see each property.
    public init(id: String, state: SlurmJobState, reason: String = "None", waitStatus: Int32? = nil) {
        self.id = id
        self.state = state
        self.reason = reason
        self.waitStatus = waitStatus
    }

    /// The `squeue` format whose lines `parseQueue` reads: `ID|STATE|REASON|WAITSTATUS|`.
    public static let queueFormat = "JobID:|,State:|,Reason:|,exit_code:|"

    /// The jobs in `squeue -h --states=all -O queueFormat` output, by id (lines it cannot read are skipped).
    public static func parseQueue(_ lines: [String]) -> [String: SlurmJobStatus] {
        var result: [String: SlurmJobStatus] = [:]
        for line in lines {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 4, !fields[0].isEmpty, !fields[1].isEmpty else { continue }
            result[fields[0]] = SlurmJobStatus(id: fields[0], state: SlurmJobState(fields[1]), reason: fields[2],
                                               waitStatus: Int32(fields[3]))
        }
        return result
    }

    /// The exit status (or 128 + signal) and the signal, from the wait status.
    var exit: (status: Int32, signal: Int32?) {
        guard let w = waitStatus else { return (1, nil) }
        let signal = w & 0x7f
        if signal != 0 { return (128 + signal, signal) }
        return ((w >> 8) & 0xff, nil)
    }

    /// What a terminal job means for its stage: success for COMPLETED with status 0, else a failed execution
    /// whose `failure` names the job, its state and what to do about it. `resources` are the stage's, to name
    /// the limit a TIMEOUT or OUT_OF_MEMORY hit.
    public func execution(command: [String], resources: [String: Int], logTail: [String]) -> StageExecution {
        let (status, signal) = exit
        var result = StageExecution(command: command, exitStatus: status, signal: signal, logTail: logTail)
        let job = "Slurm job \(id)"
        switch state {
        case .completed where status == 0 && signal == nil:
            return result
        case .completed, .failed:
            if let signal {
                result.failure = "\(job) FAILED: its script was killed by signal \(signal)"
            } else {
                result.failure = "\(job) FAILED with exit code \(status)" + (reason == "NonZeroExitCode" || reason == "None" ? "" : " (\(reason))")
            }
            if status == 0 { result.exitStatus = 1 }
        case .timeout:
            let limit = resources["runtime"].map { "its runtime of \($0) min" } ?? "the partition's time limit"
            result.failure = "\(job) TIMEOUT: it ran past \(limit); raise `runtime:` in its resources"
        case .outOfMemory:
            let limit = resources["mem_mb"].map { "the \($0) MB it asked for" } ?? "the memory it was given"
            result.failure = "\(job) OUT_OF_MEMORY: it used more than \(limit); raise `mem_mb:` in its resources"
        case .cancelled:
            result.failure = "\(job) CANCELLED (scancel by a user or an administrator)"
        case .nodeFail:
            result.failure = "\(job) NODE_FAIL: the node running it failed; run `pipe repro` again"
        case let .otherEnd(name):
            result.failure = "\(job) ended as \(name) (\(reason))"
        case .active:
            result.failure = "\(job) is still \(state)"
        }
        if result.succeeded { result.exitStatus = 1 }
        return result
    }
}
