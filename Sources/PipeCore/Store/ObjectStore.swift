import Foundation
import Glibc
import Synchronization
import PipeBasics

/// The content-addressed store under `.cache/objects`: file contents by hash, directory manifests by hash with a
/// `.dir` suffix (design §4). Objects are read-only and written atomically through `.cache/tmp`.
///
/// Thread-safe (the only mutable state is a memo of objects verified in this process, behind a lock).
public final class ObjectStore: Sendable {
    /// An object's identity: its hash and whether it is a directory manifest.
    public struct ObjectID: Sendable, Hashable, CustomStringConvertible {
        /// The content (or manifest) hash.
        public var hash: ContentHash
        /// Whether this is a `.dir` manifest object.
        public var isDirectory: Bool

        /// An object identity.
        public init(hash: ContentHash, isDirectory: Bool) {
            self.hash = hash
            self.isDirectory = isDirectory
        }

        /// The object's file name without the two-digit folder: hex, plus `.dir` for a manifest.
        public var description: String { hash.hex + (isDirectory ? ObjectStore.directorySuffix : "") }
    }

    /// Suffix of directory-manifest objects.
    public static let directorySuffix = ".dir"

    /// The `.cache` directory.
    public let cacheRoot: URL
    /// `<cacheRoot>/objects`.
    public let objectsURL: URL
    /// `<cacheRoot>/tmp`, staging for atomic writes into the store.
    public let temporaryURL: URL
    /// `objectsURL.path`.
    let objectsPath: String

    /// Objects verified by this process, keyed by object path, with the metadata they had then: shared by every
    /// store instance, so a checkout after a fetch (`pipe pull`) does not read again what the fetch just hashed.
    static let verified = Mutex<[String: FileStatus]>([:])

    /// A store rooted at `cacheRoot` (usually `<repo>/.cache`); nothing is created until something is saved.
    public init(cacheRoot: URL) {
        self.cacheRoot = cacheRoot.standardizedFileURL
        objectsURL = self.cacheRoot.appendingPathComponent("objects")
        objectsPath = objectsURL.path
        temporaryURL = self.cacheRoot.appendingPathComponent("tmp")
    }

    /// `objects/ab/cdef…[.dir]`: the first two hex digits name a subdirectory so no directory grows huge.
    public func objectURL(for hash: ContentHash, isDirectory: Bool = false) -> URL {
        URL(fileURLWithPath: objectPath(for: hash, isDirectory: isDirectory), isDirectory: false)
    }

    /// `objectURL`'s path, built as a string: transfers and checkouts ask for it once per file, and a
    /// Foundation URL per object cost a push of 10,000 files 5 % of its CPU.
    public func objectPath(for hash: ContentHash, isDirectory: Bool = false) -> String {
        let hex = hash.hex
        return objectsPath + "/" + hex.prefix(2) + "/" + hex.dropFirst(2) + (isDirectory ? ObjectStore.directorySuffix : "")
    }

    /// Whether the object is present; for a directory, whether its manifest *and every file it lists* are.
    /// Presence only: `verify` checks content.
    public func contains(_ hash: ContentHash, isDirectory: Bool = false) -> Bool {
        contains(hash, isDirectory: isDirectory) { hash throws(PipeError) in try manifest(for: hash) }
    }

    /// `contains`, with a directory's manifest obtained from `readManifest` (a caller that memoizes manifests).
    public func contains(_ hash: ContentHash, isDirectory: Bool,
                         readManifest: (ContentHash) throws(PipeError) -> DirectoryManifest) -> Bool {
        guard objectExists(hash, isDirectory: isDirectory) else { return false }
        guard isDirectory else { return true }
        guard let manifest = try? readManifest(hash) else { return false }
        return manifest.entries.allSatisfy { objectExists($0.hash, isDirectory: false) }
    }

    /// Whether the object's own file is present (for a directory, its manifest only; not the files it lists).
    public func objectExists(_ hash: ContentHash, isDirectory: Bool) -> Bool {
        (try? SystemCall.status(objectPath(for: hash, isDirectory: isDirectory))) != nil
    }

    /// The manifest stored for directory hash `hash`; throws `.cacheCorrupt` when the object's bytes do not hash
    /// to `hash` or do not parse, and `.io` when it is missing.
    public func manifest(for hash: ContentHash) throws(PipeError) -> DirectoryManifest {
        let url = objectURL(for: hash, isDirectory: true)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PipeError.io("directory manifest is not in the cache", path: url.path,
                               fix: "rerun the stage that produces it (`pipe repro`)")
        }
        let bytes = [UInt8](data)
        let actual = XXH3Hasher.hash(bytes)
        guard actual == hash else {
            throw PipeError(.cacheCorrupt, "cache object \(url.path) hashes to \(actual.hex), not \(hash.hex)",
                            fix: "delete it; `pipe repro` will rebuild it")
        }
        return try DirectoryManifest(parsing: bytes, source: url.path)
    }

    /// Every object in the store (for garbage collection); stray files that are not objects are skipped.
    public func allObjectHashes() throws(PipeError) -> Set<ObjectID> {
        var result = Set<ObjectID>()
        let root = objectsURL.path
        guard FileManager.default.fileExists(atPath: root) else { return result }
        let prefixes: [String]
        do { prefixes = try SystemCall.listDirectory(root) } catch {
            throw PipeError.io("cannot list", path: root, underlying: error)
        }
        for prefix in prefixes where prefix.utf8.count == 2 {
            let names: [String]
            do { names = try SystemCall.listDirectory(root + "/" + prefix) } catch {
                throw PipeError.io("cannot list", path: root + "/" + prefix, underlying: error)
            }
            for name in names {
                let isDirectory = name.hasSuffix(ObjectStore.directorySuffix)
                let hex = prefix + (isDirectory ? String(name.dropLast(ObjectStore.directorySuffix.count)) : name)
                if let hash = ContentHash(hex: hex), hash.hex == hex { result.insert(ObjectID(hash: hash, isDirectory: isDirectory)) }
            }
        }
        return result
    }

    /// Deletes one object (a directory's manifest only, not the files it lists). Missing is not an error.
    public func remove(_ hash: ContentHash, isDirectory: Bool = false) throws(PipeError) {
        let path = objectPath(for: hash, isDirectory: isDirectory)
        Self.verified.withLock { _ = $0.removeValue(forKey: path) }
        do { try SystemCall.removeFile(path) } catch {
            throw PipeError.io("cannot remove cache object", path: path, underlying: error)
        }
    }

    /// Deletes leftovers of interrupted saves in `.cache/tmp` (call while holding the repository lock).
    public func removeStaleTemporaries() throws(PipeError) {
        do { try SystemCall.removeTree(temporaryURL.path) } catch {
            throw PipeError.io("cannot clean", path: temporaryURL.path, underlying: error)
        }
    }

    /// A fresh path in `.cache/tmp` (created on demand).
    func temporaryPath(_ label: String) throws(PipeError) -> String {
        do { try SystemCall.makeDirectories(temporaryURL.path) } catch {
            throw PipeError.io("cannot create", path: temporaryURL.path, underlying: error,
                               fix: "check .cache is writable")
        }
        return temporaryURL.path + "/\(label)-\(SystemCall.processID)-\(UInt64.random(in: 0...UInt64.max))"
    }
}
