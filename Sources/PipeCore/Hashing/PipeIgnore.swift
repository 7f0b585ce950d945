/// The `.pipeignore` rules in force for one directory: gitignore syntax, read from the repository root down to
/// that directory, keeping matching paths out of directory hashes (and so out of the cache).
///
/// Precedence is git's: a deeper `.pipeignore` beats a shallower one, and within a file the last matching line
/// wins. A directory that is ignored is not entered, so nothing under it can be re-included. `.git` and
/// `.cache` are always ignored at any depth and cannot be re-included.
public struct PipeIgnore: Sendable {
    /// The file name read in every directory.
    public static let fileName = ".pipeignore"
    /// Names ignored everywhere, whatever the rules say.
    public static let alwaysIgnored: Set<String> = [".git", ".cache"]

    /// Rule files from the root down, each with the repo-relative directory it sits in.
    public private(set) var files: [PipeIgnoreFile]

    /// No rules beyond the built-in ones.
    public init(files: [PipeIgnoreFile] = []) { self.files = files }

    /// These rules plus a deeper file's (a no-op when `file` has no rules).
    public func adding(_ file: PipeIgnoreFile) -> PipeIgnore {
        guard !file.rules.isEmpty else { return self }
        var copy = self
        copy.files.append(file)
        return copy
    }

    /// Whether the repo-relative `path` is ignored. Only the path itself is judged; callers walking a tree stop at
    /// ignored directories, which gives git's "cannot re-include under an excluded directory".
    public func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return isIgnored(path, name: name, isDirectory: isDirectory)
    }

    /// `isIgnored(_:isDirectory:)` when the caller already knows the last path component; the full path is only
    /// built when some `.pipeignore` is in force.
    func isIgnored(_ makePath: @autoclosure () -> String, name: String, isDirectory: Bool) -> Bool {
        if name == ".git" || name == ".cache" { return true }      // PipeIgnore.alwaysIgnored, without hashing
        if files.isEmpty { return false }
        let path = makePath()
        for file in files.reversed() {
            guard let relative = file.relativePath(of: path) else { continue }
            if let verdict = file.verdict(for: relative, name: name, isDirectory: isDirectory) { return verdict }
        }
        return false
    }
}

/// One parsed `.pipeignore` file.
public struct PipeIgnoreFile: Sendable {
    /// Repo-relative directory holding the file (`""` for the root); patterns are relative to it.
    public var base: String
    /// Rules in file order (the last match wins).
    public var rules: [PipeIgnoreRule]

    /// Parses gitignore syntax: blank lines and `#` comments skipped, `\#`/`\!` literal, `!` negates, a trailing
    /// `/` matches directories only, a leading or inner `/` anchors to `base`, trailing spaces trimmed unless
    /// escaped. `source` is recorded for each rule so a surprising match can be traced to its line.
    public init(parsing text: String, base: String, source: String) {
        self.base = base
        var rules: [PipeIgnoreRule] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            while line.hasSuffix(" ") && !line.hasSuffix("\\ ") { line = line.dropLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            var negated = false
            if line.hasPrefix("!") { negated = true; line = line.dropFirst() }
            var directoryOnly = false
            if line.hasSuffix("/") && !line.hasSuffix("\\/") { directoryOnly = true; line = line.dropLast() }
            if line.isEmpty { continue }
            let anchored = line.contains("/")
            if line.hasPrefix("/") { line = line.dropFirst() }
            // `\ ` kept as an escaped space: the glob matcher treats `\x` as a literal x.
            rules.append(PipeIgnoreRule(pattern: GlobPattern(String(line)), text: String(rawLine), negated: negated,
                                        directoryOnly: directoryOnly, anchored: anchored,
                                        source: SourceLocation(file: source, line: index + 1, column: 1)))
        }
        self.rules = rules
    }

    /// `path` relative to `base`, or nil when it is not under `base`.
    func relativePath(of path: String) -> String? {
        if base.isEmpty { return path }
        guard path.hasPrefix(base + "/") else { return nil }
        return String(path.dropFirst(base.count + 1))
    }

    /// true (ignored) / false (re-included by `!`) from the last matching rule; nil when none matches.
    func verdict(for relative: String, name: String, isDirectory: Bool) -> Bool? {
        for rule in rules.reversed() where rule.matches(relative, name: name, isDirectory: isDirectory) {
            return !rule.negated
        }
        return nil
    }
}

/// One line of a `.pipeignore`.
public struct PipeIgnoreRule: Sendable {
    /// The glob, without `!`, leading `/` or trailing `/`.
    public var pattern: GlobPattern
    /// The line as written.
    public var text: String
    /// `!pattern`: re-includes what earlier rules ignored.
    public var negated: Bool
    /// `pattern/`: matches directories only.
    public var directoryOnly: Bool
    /// Matched against the whole path relative to the file's directory (the pattern had a `/`), otherwise
    /// against the last component at any depth.
    public var anchored: Bool
    /// The file and line the rule came from.
    public var source: SourceLocation

    func matches(_ relative: String, name: String, isDirectory: Bool) -> Bool {
        if directoryOnly && !isDirectory { return false }
        return pattern.matches(anchored ? relative : name)
    }
}
