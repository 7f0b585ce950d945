/// The hash of a workspace path as the lock file and the cache need it.
public struct HashedEntry: Sendable, Hashable {
    /// File content hash, or the hash of the directory's manifest.
    public var hash: ContentHash
    /// Bytes of the file, or the sum over the directory's files.
    public var size: Int64
    /// Number of files for a directory; nil for a file.
    public var nfiles: Int?
    /// Whether the path is a directory (then `nfiles` and `manifest` are set).
    public var isDirectory: Bool
    /// The directory's listing (nil for a file); what the cache stores as a `.dir` object.
    public var manifest: DirectoryManifest?

    /// An entry from its parts; prefer `.file` and `.directory`.
    public init(hash: ContentHash, size: Int64, nfiles: Int? = nil, isDirectory: Bool = false,
                manifest: DirectoryManifest? = nil) {
        self.hash = hash
        self.size = size
        self.nfiles = nfiles
        self.isDirectory = isDirectory
        self.manifest = manifest
    }

    /// The entry of a file.
    public static func file(hash: ContentHash, size: Int64) -> HashedEntry {
        HashedEntry(hash: hash, size: size)
    }

    /// The entry of a directory with this manifest.
    public static func directory(_ manifest: DirectoryManifest) -> HashedEntry {
        HashedEntry(hash: manifest.hash, size: manifest.totalSize, nfiles: manifest.fileCount, isDirectory: true,
                    manifest: manifest)
    }
}

/// How much work hashing did, so tests can pin "this file was not re-read" and benchmarks can explain figures.
public struct HashingCounters: Sendable, Equatable {
    /// Files whose hash came from the state index without reading them.
    public var indexHits = 0
    /// Files read and hashed (not in the index, or changed).
    public var filesHashed = 0
    /// Of `filesHashed`, those whose index entry matched but was too recent to trust.
    public var racyEntries = 0
    /// Bytes read to hash files.
    public var bytesHashed: Int64 = 0
    /// Directories hashed (walked).
    public var directoriesWalked = 0
    /// Whole paths (files or directories) answered from the path summary index after a stat-only walk.
    public var summaryHits = 0

    /// All counters at zero.
    public init() {}
}
