/// What repro needs from the content-addressed store: save outputs after a run, restore them instead of a rerun.
public protocol OutputCache: Sendable {
    /// Stores the workspace path `out.path` whose content hashes to `out.hash`; links it back read-only.
    func store(_ out: LockedPath) throws
    /// Whether every object `out` needs is present and its content verified against its hash.
    func canRestore(_ out: LockedPath) -> Bool
    /// Replaces the workspace path with the cached content, atomically.
    func restore(_ out: LockedPath) throws
    /// Copies an uncached (`cache: false`) output into the store for the run cache, leaving the workspace path
    /// as it is (not linked, still writable).
    func storeCopy(_ out: LockedPath) throws
    /// Replaces the workspace path with a writable copy of the stored content (never a link into the store),
    /// atomically: how the run cache restores an uncached output.
    func restoreCopy(_ out: LockedPath) throws
}
