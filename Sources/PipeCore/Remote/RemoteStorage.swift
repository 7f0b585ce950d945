import PipeBasics

/// A place that keeps cache objects under keys (`objects/ab/cdef…`, `objects/ab/cdef….dir`, `runs/ab/cdef…`),
/// mirroring `.cache`'s layout: a directory, or an S3-compatible bucket prefix.
///
/// Implementations make every write atomic (nothing readable under a final key until it is complete) and never
/// put a secret in an error or description.
public protocol RemoteStorage: Sendable {
    /// What the storage is, for messages: e.g. `s3://bucket/prefix` or the directory's path (never a secret).
    var displayName: String { get }

    /// Checks once, before any transfer, that the remote is reachable and usable (the bucket exists, the
    /// credentials are accepted), so a bad configuration is one clear line instead of a failure per object.
    func probe(forWriting: Bool) async throws(RemoteError)

    /// The keys under `prefix` (a key prefix ending in `/`, or empty) with their sizes. Linear in the number of
    /// keys; S3 storage pages through ListObjectsV2.
    func list(prefix: String) async throws(RemoteError) -> [String: Int64]

    /// Whether `key` exists (a HEAD request on S3): cheaper than a listing when few keys are asked about.
    func exists(_ key: String) async throws(RemoteError) -> Bool

    /// Stores the file at `path` under `key`, replacing any object there.
    func upload(file path: String, size: Int64, to key: String) async throws(RemoteError)

    /// Writes the object at `key` to the new file `path` (created, fully written and synced; removed on failure).
    func download(_ key: String, to path: String) async throws(RemoteError)

    /// `download` of an object of `size` bytes, hashing the bytes with XXH3-128 as they arrive when the storage
    /// can: returns the hash then (so a 1 GiB object is not read again to verify it), nil when the caller must
    /// hash the file itself. A storage may fetch a large object as parallel ranges.
    func download(_ key: String, to path: String, size: Int64) async throws(RemoteError) -> ContentHash?

    /// Stores `bytes` under `key`, replacing any object there: for small cache files, read whole, so a push of
    /// thousands of them opens no streamed file body per request.
    func write(_ bytes: [UInt8], to key: String) async throws(RemoteError)

    /// The bytes of the object at `key`, which the caller knows to be at most `limit` bytes (a cache file whose
    /// size its manifest gives): no temporary file and no sync here, since the caller verifies them and commits
    /// them to the cache in batches (`ObjectIntake`).
    ///
    /// - Throws: `.notFound` when absent; `.transfer` when it fails or the object is larger than `limit`.
    func read(_ key: String, limit: Int) async throws(RemoteError) -> [UInt8]

    /// Deletes the objects at `keys` (missing ones are not an error).
    func delete(_ keys: [String]) async throws(RemoteError)
}

/// A failed remote operation: which key, what went wrong, and whether a retry could help; exit 1 (transfer) or
/// 2 (bad config: unknown bucket, rejected credentials).
public struct RemoteError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of failure.
    public enum Kind: String, Sendable, Equatable {
        /// The key does not exist.
        case notFound
        /// The remote refused our credentials or signature.
        case accessDenied
        /// The configuration is wrong (missing bucket, unreachable endpoint, bad URL).
        case configuration
        /// A transfer failed (I/O, network, server error after retries).
        case transfer
    }

    /// What kind of failure.
    public var kind: Kind
    /// The key or path concerned, if any.
    public var key: String?
    /// What went wrong, for a person (never a secret).
    public var message: String
    /// What to do about it.
    public var fix: String?

    /// A remote failure.
    public init(_ kind: Kind, _ message: String, key: String? = nil, fix: String? = nil) {
        self.kind = kind
        self.message = message
        self.key = key
        self.fix = fix
    }

    public var description: String { (key.map { "\($0): " } ?? "") + message }

    /// The error as the engine reports it: exit 2 for configuration and credentials, 1 for transfers.
    public var pipeError: PipeError {
        switch kind {
        case .configuration, .accessDenied: PipeError(.remoteConfig, message, fix: fix)
        case .notFound, .transfer: PipeError(.transferFailed, description, fix: fix)
        }
    }
}

extension RemoteStorage {
    /// Storages that cannot hash while downloading leave it to the caller.
    public func download(_ key: String, to path: String, size: Int64) async throws(RemoteError) -> ContentHash? {
        try await download(key, to: path)
        return nil
    }
}
