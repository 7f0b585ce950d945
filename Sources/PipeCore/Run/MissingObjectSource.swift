/// Where `pipe repro --pull` gets what the cache lacks: asked on demand, only when a stage could then be restored
/// instead of rerun (its outs' objects, or the run-cache entry of its exact run and the objects it names).
///
/// Called on the scheduling thread; blocks until the transfer ends. A failure is the source's to report: the
/// caller only looks at the cache afterwards, so an object that did not arrive simply means the stage runs.
public protocol MissingObjectSource: Sendable {
    /// Downloads into the cache whichever objects of `outs` (outs of `stage`) it lacks.
    func fetch(_ outs: [LockedPath], of stage: String)
    /// Downloads run-cache entry `key`, after the objects it names, when a remote holds it.
    func fetchRunEntry(_ key: ContentHash, of stage: String)
}
