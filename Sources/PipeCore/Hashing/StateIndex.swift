/// Remembers the hash of every file already read, keyed by repo-relative path and checked against
/// `(inode, mtime ns, size)`, so an unchanged file is never read twice (design §4, `.cache/state.index`).
///
/// An entry is trusted only when the file's metadata still matches *and* the file's mtime is older than the
/// moment hashing started by more than `racyWindow`: a file written within the same timestamp tick as it was
/// hashed could change again without its mtime moving, so it is re-read next time (git's "racy clean" rule).
/// A value type, not thread-safe; `FileHasher` guards it with a lock. See `StateIndex+Format.swift` for the file.
public struct StateIndex: Sendable {
    /// What the index knows about one file.
    public struct Entry: Sendable, Hashable {
        /// Inode when hashed.
        public var inode: UInt64
        /// Size in bytes when hashed.
        public var size: Int64
        /// Modification time (ns since the epoch) when hashed.
        public var mtimeNanoseconds: Int64
        /// Wall-clock time taken just before the file was opened for hashing.
        public var hashedAtNanoseconds: Int64
        /// The content hash.
        public var hash: ContentHash

        /// An entry from its fields.
        public init(inode: UInt64, size: Int64, mtimeNanoseconds: Int64, hashedAtNanoseconds: Int64, hash: ContentHash) {
            self.inode = inode
            self.size = size
            self.mtimeNanoseconds = mtimeNanoseconds
            self.hashedAtNanoseconds = hashedAtNanoseconds
            self.hash = hash
        }
    }

    /// Why a lookup did or did not return a hash.
    public enum Lookup: Sendable, Equatable {
        case hit(ContentHash)
        /// Never hashed, or inode/mtime/size differ.
        case miss
        /// Metadata matches but the file was modified too close to when it was hashed to be sure.
        case racy
    }

    /// Default racy window: 2 s, coarser than any common file system's timestamp tick (FAT is 2 s).
    public static let defaultRacyWindowNanoseconds: Int64 = 2_000_000_000

    /// Entries by repo-relative path.
    public private(set) var entries: [String: Entry]
    /// How close (ns) a file's mtime may be to its hashing time before the entry is distrusted.
    public var racyWindowNanoseconds: Int64
    /// Whether anything changed since load, so `save` can skip an unchanged index.
    public private(set) var isDirty = false

    /// An empty index.
    public init(entries: [String: Entry] = [:], racyWindowNanoseconds: Int64 = StateIndex.defaultRacyWindowNanoseconds) {
        self.entries = entries
        self.racyWindowNanoseconds = racyWindowNanoseconds
    }

    /// Number of files remembered.
    public var count: Int { entries.count }

    /// The remembered hash of `path` if `status` still matches and the entry is not racy.
    public func lookup(_ path: String, status: FileStatus) -> Lookup {
        guard let e = entries[path], e.inode == status.inode, e.size == status.size,
              e.mtimeNanoseconds == status.mtimeNanoseconds else { return .miss }
        if e.hashedAtNanoseconds - e.mtimeNanoseconds <= racyWindowNanoseconds { return .racy }
        return .hit(e.hash)
    }

    /// Records the hash of `path` read with metadata `status`, hashing having started at `hashedAt` (ns).
    public mutating func record(_ path: String, status: FileStatus, hash: ContentHash, hashedAt: Int64) {
        let entry = Entry(inode: status.inode, size: status.size, mtimeNanoseconds: status.mtimeNanoseconds,
                          hashedAtNanoseconds: hashedAt, hash: hash)
        if entries[path] != entry {
            entries[path] = entry
            isDirty = true
        }
    }

    /// Drops what is known about `path` (it no longer exists).
    public mutating func forget(_ path: String) {
        if entries.removeValue(forKey: path) != nil { isDirty = true }
    }

    /// Marks the index as saved.
    mutating func markClean() { isDirty = false }
}
