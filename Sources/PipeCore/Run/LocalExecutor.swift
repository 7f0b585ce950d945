import Foundation

/// Runs a stage's commands as child processes of `pipe` (`StageProcess`: own process group, in its wdir), with
/// pipe's environment plus the stage's variables.
public struct LocalExecutor: StageExecutor {
    /// Lines of stderr kept for a failure message.
    public var tailLines: Int

    /// An executor keeping `tailLines` of stderr.
    public init(tailLines: Int = 20) { self.tailLines = tailLines }

    public func run(_ job: StageJob, cancellation: StageCancellation,
                    output: @escaping @Sendable (_ line: String, _ isStderr: Bool) -> Void) throws -> StageExecution {
        let environment = ProcessInfo.processInfo.environment.merging(job.variables) { $1 }
        var last = StageExecution(command: [], exitStatus: 0)
        for argv in job.commands {
            if cancellation.isCancelled {
                return StageExecution(command: argv, exitStatus: 128 + SIGTERM, signal: SIGTERM, logTail: last.logTail)
            }
            let process = StageProcess()
            // SIGINT/SIGTERM reach the group through SignalForwarding; an explicit cancel() is forwarded here.
            cancellation.onCancel { process.signal(SIGTERM) }
            let outcome = try process.run(argv: argv, directory: job.workingDirectory, environment: environment,
                                          tailLines: tailLines, sink: output)
            last = StageExecution(command: argv, exitStatus: outcome.exitStatus, signal: outcome.signal,
                                  logTail: outcome.stderrTail)
            if !last.succeeded || cancellation.isCancelled { break }
        }
        return last
    }
}
