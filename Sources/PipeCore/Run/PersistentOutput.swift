import Foundation
import Glibc
import PipeBasics

/// DVC's `unprotect` for `persist: true` outputs: before a stage runs, each read-only file of a persisted output
/// (a file the cache linked back into the workspace) is replaced by an independent writable copy.
///
/// Why: a persisted output is kept for the command to update in place (`>>`, an append-only log, a checkpoint
/// directory). Left as a hard link into `.cache/objects`, that update would rewrite the cached object of the
/// previous run behind its hash (and fail outright for a user who is not root, the file being read-only).
/// Writable files were never linked from the cache (checkout and store leave cached files read-only), so they are
/// left alone: unprotecting costs one copy per cached file, once.
enum PersistentOutput {
    /// Makes every read-only regular file at or under `path` an independent writable copy; nothing when `path`
    /// does not exist. Symbolic links are not followed. Cost: O(files), one copy per read-only file.
    static func unprotect(_ path: String) throws {
        guard let status = try statusOrThrow(path) else { return }
        if status.isRegularFile {
            try unprotectFile(path, status: status)
        } else if status.isDirectory {
            var stack = [path]
            while let dir = stack.popLast() {
                let names: [String]
                do { names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted() } catch {
                    throw PipeError.io("cannot list the persisted output directory", path: dir, underlying: error,
                                       fix: "check its permissions")
                }
                for name in names {
                    let child = dir + "/" + name
                    guard let s = try statusOrThrow(child) else { continue }
                    if s.isDirectory { stack.append(child) } else if s.isRegularFile { try unprotectFile(child, status: s) }
                }
            }
        }
    }

    private static func statusOrThrow(_ path: String) throws -> FileStatus? {
        do { return try SystemCall.status(path, followSymlinks: false) } catch {
            throw PipeError.io("cannot read the persisted output", path: path, underlying: error, fix: "check its permissions")
        }
    }

    private static func unprotectFile(_ path: String, status: FileStatus) throws {
        guard status.mode & UInt32(S_IWUSR) == 0 else { return }
        do {
            try AtomicFileWriter.copy(from: path, to: path, permissions: status.isExecutable ? 0o755 : 0o644)
        } catch {
            throw PipeError.io("cannot make the persisted output writable before its stage runs", path: path,
                               underlying: error, fix: "check the directory holding it is writable")
        }
    }
}
