import Foundation

/// Reading `.pipeignore` files from disk.
extension PipeIgnore {
    /// Parses the `.pipeignore` at `path` whose patterns are relative to the repo-relative directory `base`.
    static func loadFile(at path: String, base: String) throws(PipeError) -> PipeIgnoreFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipeError.io("cannot read", path: path, fix: "check the .pipeignore file is readable")
        }
        return PipeIgnoreFile(parsing: String(decoding: data, as: UTF8.self), base: base, source: path)
    }

    /// The rules in force *inside* the repo-relative directory `repoPath`: every `.pipeignore` of its strict
    /// ancestors, root first. (The directory's own file is read by the walk.)
    public static func rules(above repoPath: String, repoRoot: URL) throws(PipeError) -> PipeIgnore {
        var ignore = PipeIgnore()
        if repoPath == "." || repoPath.isEmpty { return ignore }     // the root's own file is read by the walk
        var base = ""
        let parts = repoPath.split(separator: "/").map(String.init)
        for part in [""] + parts.dropLast() {
            base = part.isEmpty ? base : (base.isEmpty ? part : base + "/" + part)
            let file = repoRoot.appendingPathComponent(base).appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: file) {
                ignore = ignore.adding(try loadFile(at: file, base: base))
            }
        }
        return ignore
    }
}
