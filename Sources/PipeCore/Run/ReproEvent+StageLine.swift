import PipeBasics

extension ReproEvent {
    /// The event for a line a stage wrote: `.progress` for a StageKit progress line on stderr, else `.output`.
    static func stageLine(_ line: String, isStderr: Bool, stage: String) -> ReproEvent {
        if isStderr, let p = ProgressLine(parsing: line) {
            return .progress(stage: stage, done: p.done, total: p.total, message: p.message)
        }
        return .output(stage: stage, line: line, isStderr: isStderr)
    }
}
