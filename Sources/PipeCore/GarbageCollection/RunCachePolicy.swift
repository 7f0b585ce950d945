/// What `pipe gc` does with the run cache (`.cache/runs`).
public enum RunCachePolicy: Sendable, Equatable {
    /// Keep every usable entry and every object it names, so returning to a configuration seen before still
    /// restores instead of rerunning; delete only entries that can never be used again (damaged, or naming an
    /// object already gone). The default.
    case keep
    /// Delete every entry (`--drop-run-cache`), so objects only the run cache names are collected too.
    case drop
}
