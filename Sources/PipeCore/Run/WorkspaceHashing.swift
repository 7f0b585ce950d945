import Foundation
import Synchronization

/// `PathHashing` over the workspace: `FileHasher` snapshots memoised for one command, so a path that is a dep of
/// many stages is hashed once, and forgotten when a stage rewrites it.
///
/// Snapshots (what status and the lock need) come from `FileHasher.summary`, which answers an unchanged directory
/// from its fingerprint without building a manifest; `entry(of:)` (what the cache needs) always has the manifest.
public final class WorkspaceHashing: PathHashing, Sendable {
    public let hasher: FileHasher
    private let memo = Mutex<[String: HashedEntry?]>([:])

    public init(hasher: FileHasher) { self.hasher = hasher }

    /// The full entry (manifest included for directories), memoised.
    public func entry(of path: String) throws -> HashedEntry? {
        if let cached = memo.withLock({ $0[path] }), cached.map({ !$0.isDirectory || $0.manifest != nil }) ?? true {
            return cached
        }
        let entry = try hasher.hashEntry(repoPath: path)
        memo.withLock { $0[path] = .some(entry) }
        return entry
    }

    /// Hash, size and file count of `path` (a directory's manifest only if already known), memoised.
    public func summary(of path: String) throws -> HashedEntry? {
        if let cached = memo.withLock({ $0[path] }) { return cached }
        let entry = try hasher.summary(repoPath: path)
        memo.withLock { $0[path] = .some(entry) }
        return entry
    }

    public func snapshot(of path: String) throws -> LockedPath? {
        try summary(of: path).map { LockedPath(path: path, hash: $0.hash, size: $0.size, nfiles: $0.isDirectory ? ($0.nfiles ?? 0) : nil) }
    }

    /// Forgets `path`, everything under it and every directory above it.
    public func invalidate(_ path: String) {
        memo.withLock { memo in
            for key in memo.keys where key == path || key.hasPrefix(path + "/") || path.hasPrefix(key + "/") || key == "." {
                memo[key] = nil
            }
        }
    }

    /// Persists the state index (best effort: a failed save only costs a rehash next time).
    public func save() { try? hasher.save() }
}
