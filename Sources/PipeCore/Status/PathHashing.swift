/// What status and repro need from the hashing layer: the current hash of a workspace path.
///
/// A protocol so the invalidation logic can be tested with in-memory workspaces.
public protocol PathHashing: Sendable {
    /// The current state of a repo-relative path as it would be locked, or nil when it does not exist.
    func snapshot(of path: String) throws -> LockedPath?
    /// Forgets anything memoised about `path` (after a stage rewrote it).
    func invalidate(_ path: String)
}
