import Foundation

/// The two sides a `diff` command compares, chosen from its revision arguments as DVC does: none → `HEAD` and
/// the workspace; one → that revision and the workspace; two → both revisions.
public enum ReportSides {
    /// Loads the sides for `revisions`, the repository being found at or above `start`.
    public static func pair(_ revisions: [String], from start: URL) throws -> (old: RepoSnapshot, new: RepoSnapshot) {
        guard revisions.count <= 2 else {
            throw PipeError(.usage, "at most two revisions can be compared, got \(revisions.count)",
                            fix: "give an old and a new revision, e.g. `HEAD~1 HEAD`")
        }
        let workspace = try Workspace.find(from: start)
        let git = try GitRevisions(repoRoot: workspace.root)
        let old = try RepoSnapshot.revision(revisions.first ?? "HEAD", repoRoot: workspace.root, git: git)
        let new = revisions.count == 2
            ? try RepoSnapshot.revision(revisions[1], repoRoot: workspace.root, git: git)
            : try RepoSnapshot.workspace(workspace)
        return (old, new)
    }

    /// `target` (relative to `cwd`, or absolute) as a path relative to `root`; `.usage` when outside it.
    public static func repoRelative(_ target: String, cwd: URL, root: URL) throws -> String {
        let absolute = (target.hasPrefix("/") ? URL(fileURLWithPath: target) : cwd.appendingPathComponent(target))
            .standardizedFileURL.path
        let base = root.standardizedFileURL.path
        guard absolute.hasPrefix(base + "/") else {
            throw PipeError(.usage, "'\(target)' is outside the repository \(base)", fix: "name a file inside the repository")
        }
        return String(absolute.dropFirst(base.count + 1))
    }
}
