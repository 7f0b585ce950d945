import Foundation

/// Every version of `pipe.lock` in a git repository's history (`git rev-list --all`), read with three git
/// processes however long the history: `rev-list`, one `cat-file --batch-check` naming each commit's lock blob,
/// one `cat-file --batch` reading the distinct blobs.
public enum LockHistory {
    /// The locks of every commit reachable from any ref, one per distinct blob, labelled by the first commit
    /// (in rev-list order) holding it. Empty when `root` is not in a git work tree.
    ///
    /// - Throws: `.lockCorrupt` naming the commit when a committed lock does not parse (gc must not guess), `.io`
    ///   when git fails.
    public static func locks(repoRoot root: URL) throws -> [KeptLock] {
        guard let prefix = try workTreePrefix(root) else { return [] }
        let revs = try GitRunner.run(["rev-list", "--all"], in: root)
        guard revs.status == 0 else {
            throw PipeError(.io, "git rev-list --all failed in \(root.path)", fix: "check the git repository", cause: revs.stderr)
        }
        let commits = revs.text.split(separator: "\n").map(String.init).filter { !$0.isEmpty }.map { commit in
            let short = String(commit.prefix(7))
            return Commit(id: commit, source: "commit \(short)", name: short,
                          fix: "fix pipe.lock in commit \(short), or run `pipe gc` without --all-commits")
        }
        return try locks(of: commits, prefix: prefix, in: root, distinct: true)
    }

    /// `git rev-parse --show-prefix` (where the pipeline sits in the work tree); nil outside a git work tree.
    static func workTreePrefix(_ root: URL) throws -> String? {
        let inside = try GitRunner.run(["rev-parse", "--is-inside-work-tree"], in: root)
        guard inside.status == 0, inside.text == "true" else { return nil }
        return try GitRunner.run(["rev-parse", "--show-prefix"], in: root).text
    }

    /// A commit whose lock to read: its id, the lock's `KeptLock.source`, the name a parse error gives the file
    /// (`NAME:pipe.lock`) and the fix it suggests.
    struct Commit {
        var id: String
        var source: String
        var name: String
        var fix: String
    }

    /// The `pipe.lock` beside the pipeline (`prefix`) in each commit that has one, in order; with `distinct`, one
    /// per blob (the first commit holding it). Two git processes however many commits: one `cat-file
    /// --batch-check` naming each commit's lock blob, one `cat-file --batch` reading the blobs.
    ///
    /// - Throws: `.lockCorrupt` naming the commit when its lock does not parse (gc must not guess), `.io` when git
    ///   fails.
    static func locks(of commits: [Commit], prefix: String, in root: URL, distinct: Bool) throws -> [KeptLock] {
        if commits.isEmpty { return [] }
        let query = commits.map { "\($0.id):\(prefix)pipe.lock\n" }.joined()
        let check = try GitRunner.run(["cat-file", "--batch-check"], in: root, input: Data(query.utf8))
        guard check.status == 0 else {
            throw PipeError(.io, "git cat-file --batch-check failed in \(root.path)", fix: "check the git repository", cause: check.stderr)
        }
        var blobs: [(commit: Commit, blob: String)] = []
        var seen = Set<String>()
        let answers = String(decoding: check.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        for (commit, answer) in zip(commits, answers) {
            let fields = answer.split(separator: " ")
            guard fields.count == 3, fields[1] == "blob" else { continue }   // "… missing": no lock in that commit
            if !distinct || seen.insert(String(fields[0])).inserted { blobs.append((commit, String(fields[0]))) }
        }
        if blobs.isEmpty { return [] }
        let batch = try GitRunner.run(["cat-file", "--batch"], in: root, input: Data(blobs.map { $0.blob + "\n" }.joined().utf8))
        guard batch.status == 0 else {
            throw PipeError(.io, "git cat-file --batch failed in \(root.path)", fix: "check the git repository", cause: batch.stderr)
        }
        let bytes = [UInt8](batch.stdout)
        var offset = 0
        var result: [KeptLock] = []
        for (commit, _) in blobs {
            guard let newline = bytes[offset...].firstIndex(of: 10) else { break }
            let header = String(decoding: bytes[offset..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, let size = Int(header[2]), newline + 1 + size <= bytes.count else {
                throw PipeError(.io, "unexpected output from git cat-file --batch", fix: "check the git repository")
            }
            let text = String(decoding: bytes[(newline + 1)..<(newline + 1 + size)], as: UTF8.self)
            offset = newline + 1 + size + 1
            do {
                result.append(KeptLock(source: commit.source, lock: try LockFile.parse(text, file: "\(commit.name):\(prefix)pipe.lock")))
            } catch var error as PipeError {
                error.fix = commit.fix
                throw error
            }
        }
        return result
    }
}
