import Foundation

/// Batches a repro's lock writes: finished stages' entries are recorded as they come and written atomically
/// together at most every `interval` (the first at once), with the `.gitignore` lines of their cached outputs.
///
/// Whole-lock rewrites per stage made a repro O(stages²) (docs/benchmarks.md); a write costs O(stages)
/// comparisons plus the text of the entries that changed (`LockTextCache`). Used from one thread.
struct LockWriter {
    /// The lock as the run has it so far: read at the start, plus every recorded entry.
    private(set) var lock: LockFile
    /// The shortest time between two writes while stages keep finishing; zero writes after every stage.
    let interval: TimeInterval
    private let workspace: Workspace
    /// Entries of stages that still exist are kept; others are dropped at each write.
    private let stageNames: Set<String>
    private let ignoreOutputs: ([String]) throws -> Void
    private var textCache = LockTextCache()
    private var lastWrite = Date.distantPast
    /// `lock` holds entries not yet written.
    private var dirty = false
    /// Cached outputs of recorded stages not yet passed to `ignoreOutputs`, and every path passed so far.
    private var pendingIgnores: [String] = []
    private var ignored: Set<String> = []

    /// A writer over `workspace`'s lock as it is now.
    init(workspace: Workspace, stageNames: Set<String>, interval: TimeInterval,
         ignoreOutputs: @escaping ([String]) throws -> Void) throws {
        self.lock = try workspace.readLock()
        self.workspace = workspace
        self.stageNames = stageNames
        self.interval = interval
        self.ignoreOutputs = ignoreOutputs
    }

    /// Records a finished stage's entry for the next write.
    mutating func record(_ entry: LockedStage, of stage: Stage) {
        lock.stages[stage.name] = entry
        dirty = true
        for out in stage.outs where out.cache && ignored.insert(out.path).inserted {
            pendingIgnores.append(out.path)
        }
    }

    /// Writes when entries wait and `interval` has passed since the last write; returns when it next wants to be
    /// asked (nil: nothing waits). A failed write is retried no sooner than `interval` later.
    ///
    /// - Throws: the write's error, as a `PipeError` saying what to do.
    mutating func writeIfDue(now: Date = Date()) throws(PipeError) -> Date? {
        guard dirty else { return nil }
        if now >= lastWrite.addingTimeInterval(interval) {
            do { try write() } catch {
                lastWrite = now
                throw error as? PipeError ?? PipeError(.io, "cannot write pipe.lock: \(error)",
                                                       fix: "check the repository is writable, then run `pipe repro` again")
            }
        }
        return dirty ? lastWrite.addingTimeInterval(interval) : nil
    }

    /// Writes the lock (unchanged text is not rewritten) and passes the pending cached outputs to `ignoreOutputs`.
    mutating func write() throws {
        try workspace.writeLock(lock, keeping: stageNames, textCache: &textCache)
        lastWrite = Date()
        dirty = false
        let paths = pendingIgnores
        pendingIgnores = []
        if !paths.isEmpty { try ignoreOutputs(paths) }
    }
}
