import Foundation
import PipeCore

/// Prints repro events: each stage with its reasons before it runs, its output prefixed, failures with the
/// stderr tail, and a live progress line on a TTY.
final class ReproPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private var progressShown = false
    private let graph: StageGraph?
    private var reasons: [String: [InvalidationReason]] = [:]
    /// Each stage's executor, named before its reasons when some stage runs elsewhere than locally.
    var executors = ExecutorPlan()

    init(explainWith graph: StageGraph? = nil) { self.graph = graph }

    func handle(_ event: ReproEvent) {
        lock.withLock {
            clearProgress()
            switch event {
            case let .upToDate(stage):
                print("'\(stage)' is up to date")
            case let .frozen(stage):
                print("'\(stage)' is frozen; skipped")
            case let .restored(stage, paths):
                print("'\(stage)': restored \(paths.joined(separator: ", ")) from the cache")
            case let .willRun(stage, reasons, dry):
                let place = executors.usesSlurm ? " on \(executors.kind(of: stage))" : ""
                print(Terminal.color("\(dry ? "would run" : "Running") '\(stage)'", "1") + "\(place) because:")
                self.reasons[stage] = reasons
                if let graph {
                    for line in CauseChain(reasons: self.reasons, graph: graph).lines(for: stage) { print(line) }
                } else {
                    for r in reasons { print("    \(r)") }
                }
            case let .restoredFromRunCache(stage, reasons):
                self.reasons[stage] = reasons
                print("'\(stage)': restored from the run cache (this exact run happened before), because:")
                for r in reasons { print("    \(r)") }
            case let .output(stage, line, isErr):
                let text = "  [\(stage)] \(line)"
                if isErr { Terminal.printErr(text) } else { print(text) }
            case let .progress(stage, done, total, message):
                if Terminal.stderrIsTTY {
                    let pct = total > 0 ? " \(done * 100 / max(total, 1))%" : ""
                    FileHandle.standardError.write(Data("\r\u{1B}[K  [\(stage)]\(pct) \(message)".utf8))
                    progressShown = true
                } else if total == 0 || done == total || done % max(total / 10, 1) == 0 {
                    Terminal.printErr("  [\(stage)] \(total > 0 ? "\(done)/\(total) " : "")\(message)")
                }
            case let .finished(stage, seconds, changed):
                print("'\(stage)' done in \(String(format: "%.2f", seconds))s\(changed ? "" : " (outputs unchanged)")")
            case let .failed(stage, error, tail):
                Terminal.printErr(Terminal.color("'\(stage)' failed", "31", tty: Terminal.stderrIsTTY))
                if !tail.isEmpty {
                    Terminal.printErr("  last lines of its stderr:")
                    for l in tail { Terminal.printErr("  | \(l)") }
                }
                _ = error
            case let .skippedAfterFailure(stage, failed):
                print("'\(stage)' not run: upstream '\(failed)' failed")
            }
            fflush(nil)
        }
    }

    func finish(_ summary: ReproSummary, dry: Bool) {
        lock.withLock { clearProgress() }
        if dry { return }
        if summary.ran.isEmpty && summary.restored.isEmpty && summary.runCacheHits.isEmpty {
            print("Pipeline is up to date. Nothing to reproduce.")
        }
    }

    private func clearProgress() {
        if progressShown {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            progressShown = false
        }
    }
}

