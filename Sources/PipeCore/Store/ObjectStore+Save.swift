import Foundation
import Glibc
import PipeBasics

/// Putting workspace content into the store.
extension ObjectStore {
    /// How a file reaches the store.
    public enum SaveMode: Sendable {
        /// Copy the bytes; the workspace file is left as it was.
        case copy
        /// Rename the workspace file into the store when on the same file system (no copy; the workspace path
        /// is gone afterwards, so check it out again to link it back), else copy.
        case move
    }

    /// Stores the file or directory at `source` whose hash is `entry` (from `FileHasher.hashEntry`).
    ///
    /// Each file is hashed again as it enters the store and rejected if it no longer matches `entry` (it changed
    /// since it was hashed), so the store never holds an object under the wrong name. Objects already present
    /// are kept once verified (a corrupt one is replaced). A directory's `.dir` manifest is written last, so its
    /// presence implies its files are there.
    public func save(_ source: URL, entry: HashedEntry, mode: SaveMode = .copy) throws(PipeError) {
        if entry.isDirectory {
            guard let manifest = entry.manifest else {
                throw PipeError(.invalidValue, "cannot store directory \(source.path): its entry has no manifest",
                                fix: "hash it with FileHasher.hashEntry, which records the manifest")
            }
            for file in manifest.entries {
                try saveFile(source.path + "/" + file.path, hash: file.hash, size: file.size, mode: mode)
            }
            let url = objectURL(for: entry.hash, isDirectory: true)
            if !FileManager.default.fileExists(atPath: url.path) {
                do { try AtomicFile.write(Data(manifest.serialized()), to: url, permissions: 0o444) } catch {
                    throw PipeError.io("cannot write directory manifest", path: url.path, underlying: error)
                }
            }
        } else {
            try saveFile(source.path, hash: entry.hash, size: entry.size, mode: mode)
        }
    }

    /// Stores the repo-relative `repoPath` of the repository at `repoRoot`.
    public func save(repoPath: String, repoRoot: URL, entry: HashedEntry, mode: SaveMode = .copy) throws(PipeError) {
        try save(repoPath == "." ? repoRoot : repoRoot.appendingPathComponent(repoPath), entry: entry, mode: mode)
    }

    private func saveFile(_ path: String, hash: ContentHash, size: Int64, mode: SaveMode) throws(PipeError) {
        let object = objectPath(for: hash)
        // An object already there is kept only if it still holds its content (verify deletes a corrupt one, which
        // is then replaced below); otherwise a later checkout would link damaged bytes over a good output.
        if let st = try? SystemCall.status(object), st.size == size, verify(hash) == .valid { return }
        let temp = try temporaryPath("save")
        defer { SystemCall.removeFileIfPresent(temp) }
        let actual: ContentHash
        do {
            // Moving takes the file itself, so only a regular file moves: a symbolic link (followed when hashed)
            // is copied, or the link, not its content, would land in the cache.
            if mode == .move, (try? SystemCall.status(path, followSymlinks: false))??.isRegularFile == true,
               (try? SystemCall.rename(path, temp)) != nil {
                let fd = try SystemCall.open(temp, O_RDONLY)
                defer { SystemCall.close(fd) }
                actual = try FileContentHasher().hash(descriptor: fd).0
                if actual != hash {
                    try? SystemCall.rename(temp, path)                // put the workspace file back
                } else {
                    try SystemCall.changeMode(fd, 0o444)
                }
            } else {
                actual = try copyHashing(from: path, to: temp)
            }
        } catch {
            throw PipeError.io("cannot store in the cache", path: path, underlying: error,
                               fix: "check the file is readable and .cache is writable")
        }
        guard actual == hash else {
            throw PipeError(.io, "\(path) changed while it was being cached (expected \(hash.hex), read \(actual.hex))",
                            fix: "make sure nothing writes the output after the stage finishes, then retry")
        }
        do {
            try SystemCall.makeDirectories(String(object[..<object.lastIndex(of: "/")!]))
            try SystemCall.rename(temp, object)
        } catch {
            throw PipeError.io("cannot move object into the cache", path: object, underlying: error)
        }
        SystemCall.syncDirectory(String(object[..<object.lastIndex(of: "/")!]))
    }

    /// Copies `source` to the new file `destination` (0444, fsynced) and returns the hash of the bytes copied.
    private func copyHashing(from source: String, to destination: String) throws(SystemCallError) -> ContentHash {
        let src = try SystemCall.open(source, O_RDONLY)
        defer { SystemCall.close(src) }
        let dst = try SystemCall.open(destination, O_WRONLY | O_CREAT | O_EXCL, 0o444)
        defer { SystemCall.close(dst) }
        SystemCall.adviseSequential(src)
        let hasher = XXH3Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileContentHasher.defaultBufferSize, alignment: 4096)
        defer { buffer.deallocate() }
        while true {
            let n = try SystemCall.read(src, into: buffer)
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(chunk)
            try SystemCall.writeAll(dst, chunk)
        }
        try SystemCall.changeMode(dst, 0o444)
        try SystemCall.sync(dst)
        return hasher.finalize()
    }
}
