/// Remembers, for each dependency or output path hashed as a whole (a file or a directory), its hash keyed by the
/// `PathFingerprint` of the files it was computed from (`.cache/paths.index`, next to the state index).
///
/// `pipe status` on an unchanged 100,000-file directory then costs one stat per file: the fingerprint of a fresh
/// walk is compared with the recorded one and, when they match, the recorded hash, size and file count are the
/// answer, with no per-file index lookup, manifest, sort or serialisation (and the large per-file state index is
/// not even loaded). The trust is the per-file index's, aggregated: every file's (path, device, inode, mode, size,
/// mtime ns) must be what it was, and the racy-clean rule applies to the newest mtime among them.
/// A value type, not thread-safe; `FileHasher` guards it with a lock. See `PathSummaryIndex+Format.swift`.
public struct PathSummaryIndex: Sendable {
    /// What is known about one path.
    public struct Entry: Sendable, Hashable {
        /// The files the hash was computed from.
        public var fingerprint: PathFingerprint
        /// Wall-clock time (ns) taken before those files were walked.
        public var recordedAtNanoseconds: Int64
        /// The file's content hash or the directory's manifest hash.
        public var hash: ContentHash
        /// Whether the path was a directory.
        public var isDirectory: Bool

        /// An entry from its fields.
        public init(fingerprint: PathFingerprint, recordedAtNanoseconds: Int64, hash: ContentHash, isDirectory: Bool) {
            self.fingerprint = fingerprint
            self.recordedAtNanoseconds = recordedAtNanoseconds
            self.hash = hash
            self.isDirectory = isDirectory
        }

        /// The entry as the lock file and status need it (no manifest).
        public var hashedEntry: HashedEntry {
            HashedEntry(hash: hash, size: fingerprint.totalSize, nfiles: isDirectory ? fingerprint.fileCount : nil,
                        isDirectory: isDirectory)
        }
    }

    /// Entries by repo-relative path.
    public private(set) var entries: [String: Entry]
    /// How close (ns) the newest mtime may be to the recording time before the entry is distrusted.
    public var racyWindowNanoseconds: Int64
    /// Whether anything changed since load.
    public private(set) var isDirty = false

    /// An index holding `entries`.
    public init(entries: [String: Entry] = [:], racyWindowNanoseconds: Int64 = StateIndex.defaultRacyWindowNanoseconds) {
        self.entries = entries
        self.racyWindowNanoseconds = racyWindowNanoseconds
    }

    /// Number of paths remembered.
    public var count: Int { entries.count }

    /// The recorded entry of `path` if a walk that saw `fingerprint` (of a directory when `isDirectory`) may
    /// reuse it: same files, same metadata, and none modified within the racy window of the recording.
    public func lookup(_ path: String, fingerprint: PathFingerprint, isDirectory: Bool) -> Entry? {
        guard let e = entries[path], e.isDirectory == isDirectory, e.fingerprint.sameFiles(as: fingerprint),
              isTrusted(e) else { return nil }
        return e
    }

    /// Whether an entry recorded at `recordedAt` for files this fresh would be trusted later.
    public func isTrusted(_ entry: Entry) -> Bool {
        entry.fingerprint.fileCount == 0 ||
            entry.recordedAtNanoseconds - entry.fingerprint.latestMtimeNanoseconds > racyWindowNanoseconds
    }

    /// Records `entry` for `path` when it would be trusted; otherwise forgets `path` (it is racy now).
    public mutating func record(_ path: String, _ entry: Entry) {
        guard isTrusted(entry) else { return forget(path) }
        if entries[path] != entry {
            entries[path] = entry
            isDirty = true
        }
    }

    /// Drops what is known about `path`.
    public mutating func forget(_ path: String) {
        if entries.removeValue(forKey: path) != nil { isDirty = true }
    }

    /// Marks the index as saved.
    mutating func markClean() { isDirty = false }
}
