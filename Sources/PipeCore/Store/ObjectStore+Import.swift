import Foundation
import PipeBasics

/// Taking objects that arrive from elsewhere (a remote) into the store, verified before they get their name.
extension ObjectStore {
    /// A fresh staging path under `.cache/tmp` for a download.
    public func stagingPath(for id: ObjectID) throws(PipeError) -> String {
        try temporaryPath("fetch-" + String(id.hash.hex.prefix(8)))
    }

    /// Deletes what interrupted fetches (Ctrl-C, a kill, a crash) left in `.cache/tmp`: staging files
    /// `fetch-…-PID-N` and intake batches `intake-xx/…-PID-N` whose process has exited. A running fetch's files
    /// are kept (its PID still answers), so no lock is needed. Linear in the temporaries.
    public func removeAbandonedDownloads() {
        let root = temporaryURL.path
        for entry in (try? SystemCall.listDirectory(root)) ?? [] {
            if entry.hasPrefix("fetch-") {
                if Self.ownerHasExited(entry) { SystemCall.removeFileIfPresent(root + "/" + entry) }
            } else if entry.hasPrefix("intake-") {
                let folder = root + "/" + entry
                for file in (try? SystemCall.listDirectory(folder)) ?? [] where Self.ownerHasExited(file) {
                    SystemCall.removeFileIfPresent(folder + "/" + file)
                }
            }
        }
    }

    /// Whether the process whose PID a temporary's name carries (`…-PID-N`) is gone (`kill(pid, 0)` says ESRCH).
    static func ownerHasExited(_ name: String) -> Bool {
        let fields = name.split(separator: "-")
        guard fields.count >= 3, let pid = pid_t(fields[fields.count - 2]), pid > 0 else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Moves the downloaded file at `staged` into the store as `id` if its bytes hash to `id`'s hash (and, for a
    /// manifest, parse as one); the staged file is removed either way. `hash` is the file's hash when the
    /// download already computed it (streamed through XXH3), so a large object is not read again.
    ///
    /// - Returns: the parsed manifest for a directory object, nil for a file.
    /// - Throws: `.cacheCorrupt` naming the object and the hash its bytes have (the object never enters the
    ///   store), `.io` when the file cannot be read or moved.
    @discardableResult
    public func adopt(_ staged: String, as id: ObjectID, hash: ContentHash? = nil) throws(PipeError) -> DirectoryManifest? {
        defer { SystemCall.removeFileIfPresent(staged) }
        var manifest: DirectoryManifest?
        if let hash, !id.isDirectory {
            guard hash == id.hash else { throw Self.corruptDownload(id, actual: hash) }
        } else {
            manifest = try checkStaged(staged, as: id)
        }
        let object = objectPath(for: id.hash, isDirectory: id.isDirectory)
        let folder = String(object[..<object.lastIndex(of: "/")!])
        do {
            try SystemCall.changeMode(staged, 0o444)
            try SystemCall.makeDirectories(folder)
            try SystemCall.rename(staged, object)
        } catch {
            throw PipeError.io("cannot move the downloaded object into the cache", path: object, underlying: error)
        }
        SystemCall.syncDirectory(folder)
        if !id.isDirectory { markVerified(object) }
        return manifest
    }

    /// Checks that the staged file's bytes hash to `id`'s hash (and, for a manifest, parse as one), leaving it in
    /// place.
    ///
    /// - Returns: the parsed manifest for a directory object, nil for a file.
    /// - Throws: `.cacheCorrupt` naming the object and the hash its bytes have.
    public func checkStaged(_ staged: String, as id: ObjectID) throws(PipeError) -> DirectoryManifest? {
        var manifest: DirectoryManifest?
        let actual: ContentHash
        if id.isDirectory {
            guard let data = FileManager.default.contents(atPath: staged) else {
                throw PipeError.io("cannot read the downloaded manifest", path: staged)
            }
            let bytes = [UInt8](data)
            actual = XXH3Hasher.hash(bytes)
            if actual == id.hash { manifest = try DirectoryManifest(parsing: bytes, source: "remote object \(id)") }
        } else {
            actual = try FileContentHasher().hashFile(atPath: staged).hash
        }
        guard actual == id.hash else { throw Self.corruptDownload(id, actual: actual) }
        return manifest
    }

    /// The error for a downloaded object whose bytes hash to `actual` instead of its name.
    static func corruptDownload(_ id: ObjectID, actual: ContentHash) -> PipeError {
        PipeError(.cacheCorrupt, "remote object \(id) is corrupt: its content hashes to \(actual.hex)",
                  fix: "push it again from a machine that has it (`pipe push`), or rerun the stage that produces it")
    }
}
