import Foundation

/// One side of a report: the pipeline, the lock and the files of the workspace or of a git revision.
///
/// At a revision, metrics and plots files come from git when committed there, otherwise from `.cache` by the
/// hash that revision's `pipe.lock` recorded (outputs with `cache: true` are git-ignored), as DVC does.
public struct RepoSnapshot: Sendable {
    /// How the snapshot is named in tables and JSON: `workspace` or the revision as the user wrote it.
    public let name: String
    /// The commit, for a revision; nil for the workspace.
    public let commit: String?
    /// The pipeline as defined on this side (empty when the revision has no pipeline file).
    public let pipeline: Pipeline
    /// The lock on this side (empty when there is none).
    public let lock: LockFile
    /// The text of pipeline.yaml on this side (for plot properties, which the loader does not keep).
    public let pipelineText: String
    /// Params files as they are on this side, by repo-relative path (those the pipeline declares).
    public var paramsFiles: [String: ParamValue] { pipeline.paramsFiles }

    let repoRoot: URL
    let git: GitRevisions?

    /// The workspace as it is on disk, found at or above `start`.
    public static func workspace(from start: URL) throws -> RepoSnapshot {
        let workspace = try Workspace.find(from: start)
        let pipeline = try PipelineLoader(repoRoot: workspace.root).load(file: workspace.pipelineFile)
        let text = (try? String(contentsOf: workspace.url(workspace.pipelineFile), encoding: .utf8)) ?? ""
        return RepoSnapshot(name: "workspace", commit: nil, pipeline: pipeline, lock: try workspace.readLock(),
                            pipelineText: text, repoRoot: workspace.root, git: nil)
    }

    /// The repository at git `revision`: its pipeline.yaml, params files and pipe.lock are extracted to a temp
    /// directory and loaded there; a revision without pipeline.yaml gives an empty pipeline.
    public static func revision(_ revision: String, repoRoot: URL, git: GitRevisions) throws -> RepoSnapshot {
        let commit = try git.resolve(revision)
        let files = try git.files(at: commit)
        let configExtensions = [".yaml", ".yml", ".json", ".toml"]
        let wanted = files.filter { path in
            path == "pipe.lock" || configExtensions.contains { path.lowercased().hasSuffix($0) }
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("pipe-revision-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try git.extract(wanted, at: commit, into: scratch)

        let pipeline: Pipeline
        let lock: LockFile
        let text = (try? String(contentsOf: scratch.appendingPathComponent("pipeline.yaml"), encoding: .utf8)) ?? ""
        do {
            if files.contains("pipeline.yaml") {
                pipeline = try PipelineLoader(repoRoot: scratch).load(file: "pipeline.yaml")
            } else {
                pipeline = Pipeline(stages: [])
            }
            lock = try Workspace(root: scratch).readLock()
        } catch var error as PipeError {
            error.message = "at revision \(revision): " + error.message
            throw error
        }
        return RepoSnapshot(name: revision, commit: commit, pipeline: pipeline, lock: lock, pipelineText: text, repoRoot: repoRoot, git: git)
    }

    /// Every output of `kind` the pipeline declares, with the stage declaring it, in stage order then path.
    public func outputs(of kind: Output.Kind) -> [(stage: Stage, output: Output)] {
        pipeline.stages.flatMap { stage in stage.outs.filter { $0.kind == kind }.map { (stage, $0) } }
    }

    /// The bytes of the repo-relative file `path` on this side; nil when it does not exist there.
    public func contents(of path: String) throws -> Data? {
        guard let commit, let git else {
            let url = repoRoot.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                return nil
            }
            do { return try Data(contentsOf: url) } catch {
                throw PipeError.io("cannot read", path: path, underlying: error)
            }
        }
        if let data = try git.contents(of: path, at: commit) { return data }
        for entry in lock.stages.values {
            guard let locked = entry.out(path), !locked.isDirectory else { continue }
            let store = ObjectStore(cacheRoot: repoRoot.appendingPathComponent(".cache"))
            return FileManager.default.contents(atPath: store.objectURL(for: locked.hash).path)
        }
        return nil
    }
}
