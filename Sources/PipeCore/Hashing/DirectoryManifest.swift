import Glibc

/// The content of a directory as a sorted list of its files: what a directory's hash is computed from and what
/// the cache stores (as a `.dir` object) to rebuild the directory on checkout.
///
/// Only regular files are listed (symbolic links are followed and recorded as what they point to); empty
/// directories leave no trace, as in git. See docs/cache.md for the serialisation.
public struct DirectoryManifest: Sendable, Hashable {
    /// One file under the directory.
    public struct Entry: Sendable, Hashable {
        /// Path relative to the directory, `/`-separated, never starting with `/` or containing `.`/`..`.
        public var path: String
        /// XXH3-128 of the file content.
        public var hash: ContentHash
        /// File size in bytes.
        public var size: Int64
        /// The owner-execute bit; part of the directory hash so `chmod +x` is a change.
        public var isExecutable: Bool

        /// An entry; `path` must be a safe relative path (see `isSafeRelativePath`).
        public init(path: String, hash: ContentHash, size: Int64, isExecutable: Bool = false) {
            self.path = path
            self.hash = hash
            self.size = size
            self.isExecutable = isExecutable
        }
    }

    /// Entries sorted by the UTF-8 bytes of their paths, each path once.
    public private(set) var entries: [Entry]

    /// Sorts `entries` by path bytes; a path listed twice is a programming error.
    public init(entries: [Entry]) {
        var sorted = entries
        let inOrder = zip(sorted, sorted.dropFirst()).allSatisfy { DirectoryManifest.precedes($0.path, $1.path) }
        if !inOrder { sorted.sort { DirectoryManifest.precedes($0.path, $1.path) } }
        for i in sorted.indices.dropFirst() {
            precondition(sorted[i - 1].path != sorted[i].path, "path listed twice in a manifest: \(sorted[i].path)")
        }
        self.entries = sorted
    }

    /// Number of files.
    public var fileCount: Int { entries.count }
    /// Sum of the file sizes in bytes.
    public var totalSize: Int64 { entries.reduce(0) { $0 + $1.size } }

    /// The directory hash: XXH3-128 of `serialized()`.
    public var hash: ContentHash { XXH3Hasher.hash(serialized()) }

    /// The entry at `path`, by binary search.
    public func entry(at path: String) -> Entry? {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].path == path { return entries[mid] }
            if DirectoryManifest.precedes(entries[mid].path, path) { lo = mid + 1 } else { hi = mid }
        }
        return nil
    }

    /// Byte-order comparison of UTF-8 paths (Swift's `<` on `String` is not byte order).
    static func precedes(_ a: String, _ b: String) -> Bool {
        let fast = a.utf8.withContiguousStorageIfAvailable { pa in
            b.utf8.withContiguousStorageIfAvailable { pb in
                precedes(UnsafeRawBufferPointer(pa), UnsafeRawBufferPointer(pb))
            }
        }
        if let fast, let result = fast { return result }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Byte-order comparison of two byte ranges (memcmp, then length).
    static func precedes(_ pa: UnsafeRawBufferPointer, _ pb: UnsafeRawBufferPointer) -> Bool {
        let n = min(pa.count, pb.count)
        if n > 0, let x = pa.baseAddress, let y = pb.baseAddress {
            let c = memcmp(x, y, n)
            if c != 0 { return c < 0 }
        }
        return pa.count < pb.count
    }
}
