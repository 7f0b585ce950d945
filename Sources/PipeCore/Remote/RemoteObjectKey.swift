/// Where cache objects live on a remote: the same layout as `.cache` (design §8), so a directory remote can be
/// read as a cache and an S3 listing of `objects/` tells which objects are there.
public enum RemoteObjectKey {
    /// The prefix every object key starts with.
    public static let objectsPrefix = "objects/"
    /// The prefix of run-cache entries.
    public static let runsPrefix = "runs/"

    /// `objects/ab/cdef…[.dir]` for `id`.
    public static func key(for id: ObjectStore.ObjectID) -> String {
        let hex = id.hash.hex
        return objectsPrefix + hex.prefix(2) + "/" + hex.dropFirst(2) + (id.isDirectory ? ObjectStore.directorySuffix : "")
    }

    /// The object a key names, or nil for anything else under the prefix (temporaries, strays).
    public static func id(of key: String) -> ObjectStore.ObjectID? {
        guard key.hasPrefix(objectsPrefix) else { return nil }
        let parts = key.dropFirst(objectsPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count == 2 else { return nil }
        let isDirectory = parts[1].hasSuffix(ObjectStore.directorySuffix)
        let hex = String(parts[0]) + (isDirectory ? parts[1].dropLast(ObjectStore.directorySuffix.count) : parts[1])
        guard let hash = ContentHash(hex: hex), hash.hex == hex else { return nil }
        return ObjectStore.ObjectID(hash: hash, isDirectory: isDirectory)
    }
}
