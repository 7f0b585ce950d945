/// Turns paths written in pipeline.yaml into normalised repo-relative paths.
///
/// Every `Stage` path is repo-relative with no `.`/`..` parts and no trailing `/`, so the graph, hashing and the
/// lock file compare paths as plain strings. A path that leaves the repository is refused: an out there could not
/// be cached or checked out, and a dep there would make the pipeline depend on one machine's layout.
public enum RepoPath {
    /// Joins `path` onto the repo-relative directory `base` (`.` for the root) and normalises the result.
    ///
    /// - Returns: the normalised path, `.` for the repository root itself.
    /// - Throws: `.pathEscapesRepo` for an absolute path, a `~` path, or `..` climbing above the root;
    ///   `.invalidValue` for an empty path.
    public static func resolve(_ path: String, in base: String, location: SourceLocation?, keyPath: String?) throws -> String {
        guard !path.isEmpty else {
            throw PipeError(.invalidValue, "a path cannot be empty", fix: "write a path relative to the stage's wdir",
                            location: location, keyPath: keyPath)
        }
        if path.hasPrefix("/") || path.hasPrefix("~") || path.contains("://") {
            throw PipeError(.pathEscapesRepo, "'\(path)' is outside the repository: only repo-relative paths are allowed",
                            fix: "move the file into the repository and write its path relative to the stage's wdir",
                            location: location, keyPath: keyPath)
        }
        var parts: [Substring] = []
        let joined = base == "." || base.isEmpty ? path : base + "/" + path
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else {
                    throw PipeError(.pathEscapesRepo,
                                    "'\(path)'\(base == "." ? "" : " (from wdir '\(base)')") climbs above the repository root",
                                    fix: "use a path inside the repository, relative to the stage's wdir",
                                    location: location, keyPath: keyPath)
                }
                parts.removeLast()
            default:
                parts.append(part)
            }
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The directory part of a repo-relative path (`.` for a file at the root).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    /// Whether `inner` is `outer` itself or lies inside it (`data` contains `data/x`, not `database`).
    public static func isSameOrInside(_ inner: String, _ outer: String) -> Bool {
        if outer == "." { return true }
        return inner == outer || (inner.hasPrefix(outer) && inner.utf8.count > outer.utf8.count
            && inner.utf8[inner.utf8.index(inner.utf8.startIndex, offsetBy: outer.utf8.count)] == UInt8(ascii: "/"))
    }

    /// Every proper ancestor directory of a repo-relative path, nearest last (`a/b/c` → `a`, `a/b`).
    public static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            result.append(String(path[..<slash]))
            index = path.index(after: slash)
        }
        return result
    }
}
