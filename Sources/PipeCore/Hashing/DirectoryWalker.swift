import Glibc

/// Lists the files under a directory with their metadata, stat-only (`opendir`/`readdir`/`fstatat`), applying
/// `.pipeignore` rules as it descends.
///
/// Symbolic links are followed (as DVC does) and recorded as what they point to; a link that points nowhere or
/// a directory link that loops back to an ancestor is an error naming the path. Sockets, FIFOs and devices
/// are errors too: they have no content to hash.
struct DirectoryWalker {
    /// One regular file found.
    struct File {
        /// Relative to the walked directory, `/`-separated.
        var relativePath: String
        var absolutePath: String
        var status: FileStatus
    }

    /// Repo-relative path of the walked directory (for `.pipeignore` matching and messages).
    var repoPath: String
    var absolutePath: String
    var ignore: PipeIgnore

    /// Every non-ignored regular file, in no particular order (the manifest sorts).
    func walk() throws(PipeError) -> [File] {
        var files: [File] = []
        var ancestors: Set<[UInt64]> = []
        if let st = try stat(absolutePath, follow: true) { ancestors.insert([st.device, st.inode]) }
        try walk(relative: "", absolute: absolutePath, ignore: ignore, ancestors: &ancestors, into: &files)
        return files
    }

    private func walk(relative: String, absolute: String, ignore: PipeIgnore,
                      ancestors: inout Set<[UInt64]>, into files: inout [File]) throws(PipeError) {
        let names: [String]
        do { names = try SystemCall.listDirectory(absolute) } catch {
            throw PipeError.io("cannot list directory", path: absolute, underlying: error,
                               fix: "check the directory is readable")
        }
        let repoDir = join(repoPath, relative)
        var rules = ignore
        if names.contains(PipeIgnore.fileName) {
            rules = rules.adding(try PipeIgnore.loadFile(at: absolute + "/" + PipeIgnore.fileName, base: repoDir))
        }
        for name in names {
            let rel = relative.isEmpty ? name : relative + "/" + name
            let abs = absolute + "/" + name
            guard var st = try stat(abs, follow: false) else { continue }   // vanished while listing
            if st.isSymbolicLink {
                guard let target = try stat(abs, follow: true) else {
                    throw PipeError(.io, "broken symbolic link in a hashed directory: \(abs)",
                                    fix: "remove the link, make it point to an existing file, or list it in .pipeignore")
                }
                st = target
            }
            if st.isDirectory {
                if rules.isIgnored(join(repoDir, name), name: name, isDirectory: true) { continue }
                let key = [st.device, st.inode]
                guard ancestors.insert(key).inserted else {
                    throw PipeError(.io, "symbolic link loop in a hashed directory: \(abs)",
                                    fix: "remove the link or list it in .pipeignore")
                }
                try walk(relative: rel, absolute: abs, ignore: rules, ancestors: &ancestors, into: &files)
                ancestors.remove(key)
            } else if st.isRegularFile {
                if rules.isIgnored(join(repoDir, name), name: name, isDirectory: false) { continue }
                files.append(File(relativePath: rel, absolutePath: abs, status: st))
            } else {
                if rules.isIgnored(join(repoDir, name), name: name, isDirectory: false) { continue }
                throw PipeError(.io, "not a regular file or directory (socket, FIFO or device): \(abs)",
                                fix: "move it out of the directory or list it in .pipeignore")
            }
        }
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
