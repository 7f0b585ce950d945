import Foundation
import PipeBasics

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

    /// The repository root in the workspace (also for a revision: its cached outputs are read from `.cache` here).
    public let repoRoot: URL
    let git: GitRevisions?
    /// Every file the revision holds (empty for the workspace).
    var gitFiles: [String] = []

    /// The workspace as it is on disk, found at or above `start`.
    public static func workspace(from start: URL) throws -> RepoSnapshot {
        try workspace(try Workspace.find(from: start))
    }

    /// The workspace `workspace` as it is on disk.
    public static func workspace(_ workspace: Workspace) throws -> RepoSnapshot {
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
            .appendingPathComponent("pipe-revision-\(SystemCall.processID)-\(UUID().uuidString)")
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
        return RepoSnapshot(name: revision, commit: commit, pipeline: pipeline, lock: lock, pipelineText: text,
                            repoRoot: repoRoot, git: git, gitFiles: files)
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
        let store = ObjectStore(cacheRoot: repoRoot.appendingPathComponent(".cache"))
        for entry in lock.stages.values {
            for locked in entry.outs {
                if locked.path == path && !locked.isDirectory {
                    return FileManager.default.contents(atPath: store.objectPath(for: locked.hash))
                }
                if locked.isDirectory, path.hasPrefix(locked.path + "/"),
                   let manifest = try? store.manifest(for: locked.hash),
                   let file = manifest.entries.first(where: { locked.path + "/" + $0.path == path }) {
                    return FileManager.default.contents(atPath: store.objectPath(for: file.hash))
                }
            }
        }
        return nil
    }

    /// The files under `path` when it is a directory on this side (sorted, repo-relative); nil when it is not.
    /// At a revision, a directory is known from git or from the manifest its lock entry names in `.cache`.
    public func files(under path: String) -> [String]? {
        guard commit != nil else {
            let url = repoRoot.appendingPathComponent(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                  let walker = FileManager.default.enumerator(atPath: url.path) else { return nil }
            var found: [String] = []
            while let relative = walker.nextObject() as? String {
                var inner: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.appendingPathComponent(relative).path, isDirectory: &inner),
                   !inner.boolValue {
                    found.append(path + "/" + relative)
                }
            }
            return found.sorted()
        }
        let inGit = gitFiles.filter { $0.hasPrefix(path + "/") }
        if !inGit.isEmpty { return inGit.sorted() }
        let store = ObjectStore(cacheRoot: repoRoot.appendingPathComponent(".cache"))
        for entry in lock.stages.values {
            guard let locked = entry.out(path), locked.isDirectory else { continue }
            guard let manifest = try? store.manifest(for: locked.hash) else { return nil }
            return manifest.entries.map { path + "/" + $0.path }.sorted()
        }
        return nil
    }

    /// `paths` with each directory replaced by its files whose names end in one of `extensions`.
    public func expandingDirectories(_ paths: [String], extensions: [String]) -> [String] {
        var out: [String] = []
        for path in paths {
            if let files = files(under: path) {
                out += files.filter { file in extensions.contains { file.lowercased().hasSuffix($0) } }
            } else {
                out.append(path)
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }
}
