import Foundation

/// The cache objects that kept locks name: every locked out and dep by hash (a directory as its `.dir` manifest)
/// and, for a directory, every file its manifest lists — so a directory object keeps its files alive.
public struct ReachableObjects: Sendable {
    /// Objects that must stay.
    public private(set) var objects: Set<ObjectStore.ObjectID> = []
    /// Manifests that could not be read (missing or corrupt), as messages; the files they list are unknown.
    public private(set) var warnings: [String] = []

    /// Marks everything `locks` name, reading directory manifests from `store`.
    ///
    /// Linear in the number of locked paths plus the files of each distinct directory (each manifest read once).
    public init(locks: [KeptLock], store: ObjectStore) {
        var manifestsRead = Set<ContentHash>()
        for kept in locks {
            for name in kept.lock.stages.keys.sorted() {
                let stage = kept.lock.stages[name]!
                for path in stage.outs + stage.deps {
                    objects.insert(ObjectStore.ObjectID(hash: path.hash, isDirectory: path.isDirectory))
                    guard path.isDirectory, manifestsRead.insert(path.hash).inserted else { continue }
                    guard objectPresent(store, path.hash, directory: true) else {
                        continue   // manifest not cached: none of its files can be found through it
                    }
                    do {
                        let manifest = try store.manifest(for: path.hash)
                        for entry in manifest.entries { objects.insert(ObjectStore.ObjectID(hash: entry.hash, isDirectory: false)) }
                    } catch {
                        warnings.append("\(kept.source): stage '\(name)' output \(path.path): \(error)")
                    }
                }
            }
        }
    }

    private func objectPresent(_ store: ObjectStore, _ hash: ContentHash, directory: Bool) -> Bool {
        FileManager.default.fileExists(atPath: store.objectURL(for: hash, isDirectory: directory).path)
    }
}
