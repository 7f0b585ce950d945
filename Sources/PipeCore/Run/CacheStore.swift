import Foundation
import Glibc

/// `OutputCache` over the object store: outputs move into `.cache/objects` and are linked back read-only
/// (reflink → hardlink → copy), restores are verified against their hash first.
public struct CacheStore: OutputCache {
    public let store: ObjectStore
    public let hashing: WorkspaceHashing
    public let root: URL
    public let strategies: [LinkStrategy]

    public init(store: ObjectStore, hashing: WorkspaceHashing, root: URL, strategies: [LinkStrategy] = LinkStrategy.defaultOrder) {
        self.store = store
        self.hashing = hashing
        self.root = root
        self.strategies = strategies
    }

    public func store(_ out: LockedPath) throws {
        let entry = try hashedEntry(of: out)
        let url = root.appendingPathComponent(out.path)
        try store.save(url, entry: entry, mode: .move)
        try store.checkout(entry, to: url, options: .init(strategies: strategies, verify: false))
        hashing.invalidate(out.path)
    }

    public func storeCopy(_ out: LockedPath) throws {
        try store.save(root.appendingPathComponent(out.path), entry: try hashedEntry(of: out), mode: .copy)
    }

    /// The workspace entry of `out.path`, which must still hash to `out.hash`.
    private func hashedEntry(of out: LockedPath) throws -> HashedEntry {
        guard let entry = try hashing.entry(of: out.path), entry.hash == out.hash else {
            throw PipeError(.io, "\(out.path) changed before it could be cached", fix: "rerun the stage")
        }
        return entry
    }

    public func canRestore(_ out: LockedPath) -> Bool {
        store.contains(out.hash, isDirectory: out.isDirectory) && store.verify(out.hash, isDirectory: out.isDirectory).isValid
    }

    public func restore(_ out: LockedPath) throws {
        try restore(out, options: .init(strategies: strategies, verify: true))
    }

    public func restoreCopy(_ out: LockedPath) throws {
        try restore(out, options: .init(strategies: strategies, verify: true, writable: true))
    }

    private func restore(_ out: LockedPath, options: ObjectStore.CheckoutOptions) throws {
        try store.checkout(hash: out.hash, isDirectory: out.isDirectory, to: root.appendingPathComponent(out.path),
                           options: options)
        hashing.invalidate(out.path)
    }
}

/// The hashing and cache services of one workspace.
struct ProjectStorage {
    let hashing: WorkspaceHashing
    let cache: CacheStore

    init(workspace: Workspace) throws {
        Self.keepCacheOutOfGit(workspace.cacheRoot)
        let hasher = FileHasher(repoRoot: workspace.root, cacheRoot: workspace.cacheRoot)
        hashing = WorkspaceHashing(hasher: hasher)
        cache = CacheStore(store: ObjectStore(cacheRoot: workspace.cacheRoot), hashing: hashing, root: workspace.root,
                           strategies: Self.linkOrder(forRoot: geteuid() == 0))
    }

    /// The link order for outputs: `LinkStrategy.defaultOrder`, without hard links for root. A hard-linked output
    /// *is* the cache object, kept safe only by its read-only mode, which does not bind root: one `echo x > out`
    /// (or a stage rewriting its output in place) would rewrite the object behind its hash and lose the locked
    /// content for good. DVC never hard-links by default (`reflink,copy`); neither does pipe where the mode
    /// cannot protect the cache.
    static func linkOrder(forRoot isRoot: Bool) -> [LinkStrategy] {
        isRoot ? LinkStrategy.defaultOrder.filter { $0 != .hardlink } : LinkStrategy.defaultOrder
    }

    /// `.cache/.gitignore` holding `*`, so the store is never committed by `git add -A` (as `.dvc/.gitignore`).
    static func keepCacheOutOfGit(_ cacheRoot: URL) {
        let ignore = cacheRoot.appendingPathComponent(".gitignore")
        guard !FileManager.default.fileExists(atPath: ignore.path) else { return }
        try? AtomicFile.write(Data("# Created by pipe: the content-addressed store stays out of git.\n*\n".utf8), to: ignore)
    }
}
