import Foundation
import Glibc
import PipeBasics

/// Lists the files under a directory with their metadata, stat-only (`opendir`/`readdir`/`fstatat`), applying
/// `.pipeignore` rules as it descends.
///
/// Symbolic links are followed (as DVC does) and recorded as what they point to, but only within the
/// repository: a link whose target resolves outside it is an error naming the link and its target, so bytes from
/// elsewhere on the machine (`d/creds -> ~/.aws/credentials`) never reach the cache or a remote. A link that
/// points nowhere or a directory link that loops back to an ancestor is an error naming the path. Sockets, FIFOs
/// and devices are errors too: they have no content to hash.
struct DirectoryWalker {
    /// One regular file found.
    struct File {
        /// Relative to the walked directory, `/`-separated.
        var relativePath: String
        var status: FileStatus
    }

    /// Repo-relative path of the walked directory (for `.pipeignore` matching and messages).
    var repoPath: String
    var absolutePath: String
    var ignore: PipeIgnore
    /// The repository root with its own links resolved; links must stay under it (nil: no confinement, for
    /// benchmarks that walk arbitrary trees).
    var confinedTo: String?

    /// Every non-ignored regular file, in byte order of relative path for real directories (a symbolic link to a
    /// directory sorts by its link name; the manifest re-sorts if needed).
    func walk() throws(PipeError) -> [File] {
        var files: [File] = []
        var ancestors: Set<[UInt64]> = []
        if let st = try stat(absolutePath, follow: true) { ancestors.insert([st.device, st.inode]) }
        try walk(relative: "", absolute: absolutePath, ignore: ignore, ancestors: &ancestors, into: &files)
        return files
    }

    private func walk(relative: String, absolute: String, ignore: PipeIgnore,
                      ancestors: inout Set<[UInt64]>, into files: inout [File]) throws(PipeError) {
        let listing = try list(absolute)
        let repoDir = join(repoPath, relative)
        var rules = ignore
        if listing.contains(where: { $0.name == PipeIgnore.fileName }) {
            rules = rules.adding(try PipeIgnore.loadFile(at: absolute + "/" + PipeIgnore.fileName, base: repoDir))
        }
        for (name, lstatus) in listing {
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = lstatus
            if st.isSymbolicLink {
                let abs = absolute + "/" + name
                guard let target = try stat(abs, follow: true) else {
                    throw PipeError(.io, "broken symbolic link in a hashed directory: \(abs)",
                                    fix: "remove the link, make it point to an existing file, or list it in .pipeignore")
                }
                if let root = confinedTo { try checkStaysInside(root, link: abs, repoPath: join(repoDir, name)) }
                st = target
            }
            if st.isDirectory {
                if rules.isIgnored(join(repoDir, name), name: name, isDirectory: true) { continue }
                let abs = absolute + "/" + name
                let key = [st.device, st.inode]
                guard ancestors.insert(key).inserted else {
                    throw PipeError(.io, "symbolic link loop in a hashed directory: \(abs)",
                                    fix: "remove the link or list it in .pipeignore")
                }
                try walk(relative: rel, absolute: abs, ignore: rules, ancestors: &ancestors, into: &files)
                ancestors.remove(key)
            } else if st.isRegularFile {
                if rules.isIgnored(join(repoDir, name), name: name, isDirectory: false) { continue }
                files.append(File(relativePath: rel, status: st))
            } else {
                if rules.isIgnored(join(repoDir, name), name: name, isDirectory: false) { continue }
                throw PipeError(.io, "not a regular file or directory (socket, FIFO or device): \(absolute)/\(name)",
                                fix: "move it out of the directory or list it in .pipeignore")
            }
        }
    }

    /// Throws when the link at `link` resolves to a path outside `root`.
    private func checkStaysInside(_ root: String, link: String, repoPath: String) throws(PipeError) {
        let resolved = URL(fileURLWithPath: link).resolvingSymlinksInPath().path
        guard resolved != root, !resolved.hasPrefix(root + "/") else { return }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: link)) ?? resolved
        throw PipeError(.io, "symbolic link leaves the repository: \(repoPath) -> \(target)",
                        fix: "copy what it points to into the repository (or point the link inside it); pipe never "
                            + "caches or pushes bytes from outside the repository")
    }

    /// The entries of one directory with their `lstat`, via `readdir` + `fstatat` on the directory's descriptor
    /// (no path re-resolution per file), sorted so that a depth-first walk emits paths in byte order: a
    /// directory sorts as `name/`, which is where its files fall among its siblings.
    private func list(_ absolute: String) throws(PipeError) -> [(name: String, status: FileStatus)] {
        let stream: DirectoryStream
        do { stream = try DirectoryStream(path: absolute) } catch {
            throw PipeError.io("cannot list directory", path: absolute, underlying: error,
                               fix: "check the directory is readable")
        }
        defer { stream.close() }
        var names: [String] = []
        var statuses: [FileStatus] = []
        var keyBytes: [UInt8] = []              // every sort key back to back, compared without retain/release
        var keySpans: [Range<Int>] = []
        do {
            try stream.forEachEntry(path: absolute) { nameBytes, _ in
                let name = String(decoding: nameBytes, as: UTF8.self)
                let st: FileStatus?
                do { st = try SystemCall.status(name, relativeTo: stream.descriptor, followSymlinks: false) } catch {
                    throw PipeError.io("cannot stat", path: absolute + "/" + name, underlying: error)
                }
                guard let st else { return }       // vanished while listing
                let start = keyBytes.count
                keyBytes.append(contentsOf: name.utf8)
                if st.isDirectory { keyBytes.append(UInt8(ascii: "/")) }
                keySpans.append(start..<keyBytes.count)
                names.append(name)
                statuses.append(st)
            }
        } catch let error as PipeError {
            throw error
        } catch {
            throw PipeError.io("cannot list directory", path: absolute, underlying: error,
                               fix: "check the directory is readable")
        }
        var order = Array(names.indices)
        keyBytes.withUnsafeBytes { raw in
            order.sort { DirectoryManifest.precedes(UnsafeRawBufferPointer(rebasing: raw[keySpans[$0]]),
                                                    UnsafeRawBufferPointer(rebasing: raw[keySpans[$1]])) }
        }
        return order.map { (names[$0], statuses[$0]) }
    }

    private func stat(_ path: String, follow: Bool) throws(PipeError) -> FileStatus? {
        do { return try SystemCall.status(path, followSymlinks: follow) } catch {
            throw PipeError.io("cannot stat", path: path, underlying: error)
        }
    }

    private func join(_ a: String, _ b: String) -> String {
        if a.isEmpty || a == "." { return b }
        if b.isEmpty { return a }
        return a + "/" + b
    }
}
