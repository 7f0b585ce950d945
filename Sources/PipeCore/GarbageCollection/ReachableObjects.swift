import Foundation

/// The cache objects that kept locks name: every locked out and dep by hash (a directory as its `.dir` manifest)
/// and, for a directory, every file its manifest lists — so a directory object keeps its files alive.
public struct ReachableObjects: Sendable {
    /// Objects that must stay.
    public private(set) var objects: Set<ObjectStore.ObjectID> = []
    /// Manifests that could not be read (missing or corrupt), as messages; the files they list are unknown.
    public private(set) var warnings: [String] = []

    /// Marks everything `locks` name, reading directory manifests through `manifests`.
    ///
    /// Linear in the number of locked paths plus the files of each distinct directory (each manifest read once,
    /// across every pass that shares the memo).
    public init(locks: [KeptLock], manifests: inout ManifestMemo) {
        var manifestsRead = Set<ContentHash>()
        for kept in locks {
            for name in kept.lock.stages.keys.sorted() {
                let stage = kept.lock.stages[name]!
                for path in stage.outs + stage.deps {
                    objects.insert(ObjectStore.ObjectID(hash: path.hash, isDirectory: path.isDirectory))
                    guard path.isDirectory, manifestsRead.insert(path.hash).inserted else { continue }
                    guard manifests.store.objectExists(path.hash, isDirectory: true) else {
                        continue   // manifest not cached: none of its files can be found through it
                    }
                    do {
                        let manifest = try manifests.manifest(for: path.hash)
                        for entry in manifest.entries { objects.insert(ObjectStore.ObjectID(hash: entry.hash, isDirectory: false)) }
                    } catch {
                        warnings.append("\(kept.source): stage '\(name)' output \(path.path): \(error)")
                    }
                }
            }
        }
    }
}
