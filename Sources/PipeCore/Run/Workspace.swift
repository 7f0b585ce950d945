import Foundation

/// A pipe repository on disk: its root, pipeline file, lock file and `.cache` directory.
public struct Workspace: Sendable {
    public let root: URL
    public let pipelineFile: String
    public var lockURL: URL { root.appendingPathComponent("pipe.lock") }
    public var cacheRoot: URL { root.appendingPathComponent(".cache") }

    public init(root: URL, pipelineFile: String = "pipeline.yaml") {
        self.root = root.standardizedFileURL
        self.pipelineFile = pipelineFile
    }

    /// The nearest directory at or above `start` holding `pipeline.yaml`.
    public static func find(from start: URL, pipelineFile: String = "pipeline.yaml") throws -> Workspace {
        var dir = start.standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent(pipelineFile).path) {
                return Workspace(root: dir, pipelineFile: pipelineFile)
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path {
                throw PipeError(.usage, "no \(pipelineFile) in \(start.path) or any parent directory",
                                fix: "run pipe inside a pipeline repository, or create \(pipelineFile)")
            }
            dir = parent
        }
    }

    /// The lock file's contents; an empty lock when there is none yet.
    public func readLock() throws -> LockFile {
        guard let data = FileManager.default.contents(atPath: lockURL.path) else { return LockFile() }
        return try LockFile.parse(String(decoding: data, as: UTF8.self), file: "pipe.lock")
    }

    /// Writes the lock atomically, keeping only entries of stages that still exist. A lock whose text equals the
    /// file's is not rewritten.
    public func writeLock(_ lock: LockFile, keeping stageNames: Set<String>) throws {
        var cache = LockTextCache()
        try writeLock(lock, keeping: stageNames, textCache: &cache)
    }

    /// `writeLock(_:keeping:)` for a caller that writes the lock repeatedly (repro): unchanged entries reuse their
    /// text from `textCache`, so a write costs O(stages) comparisons rather than O(stages) serializations.
    public func writeLock(_ lock: LockFile, keeping stageNames: Set<String>, textCache: inout LockTextCache) throws {
        var pruned = lock
        pruned.stages = lock.stages.filter { stageNames.contains($0.key) }
        let data = Data(textCache.yamlText(of: pruned).utf8)
        if let current = FileManager.default.contents(atPath: lockURL.path), current == data { return }
        try AtomicFile.write(data, to: lockURL)
    }

    /// Absolute URL of a repo-relative path.
    public func url(_ path: String) -> URL {
        path == "." ? root : root.appendingPathComponent(path)
    }
}
