/// Directory manifests read (hash-checked and parsed) at most once during one garbage collection: the run-cache
/// check and both reachability passes ask for the same manifests, which for a large directory are large.
public struct ManifestMemo: Sendable {
    /// The store the manifests come from.
    public let store: ObjectStore
    private var read: [ContentHash: Result<DirectoryManifest, PipeError>] = [:]

    /// An empty memo over `store`.
    public init(store: ObjectStore) { self.store = store }

    /// The manifest of directory hash `hash`, or the error reading it gave (`ObjectStore.manifest(for:)`).
    public mutating func manifest(for hash: ContentHash) throws(PipeError) -> DirectoryManifest {
        if let known = read[hash] { return try known.get() }
        let result: Result<DirectoryManifest, PipeError>
        do throws(PipeError) { result = .success(try store.manifest(for: hash)) } catch { result = .failure(error) }
        read[hash] = result
        return try result.get()
    }

    /// Whether the object is in the store; for a directory, its manifest and every file it lists
    /// (`ObjectStore.contains`, with the manifest read through the memo).
    public mutating func contains(_ hash: ContentHash, isDirectory: Bool) -> Bool {
        let store = store
        return store.contains(hash, isDirectory: isDirectory) { hash throws(PipeError) in try manifest(for: hash) }
    }
}
