import Foundation

/// The `pipe.lock` of every branch tip or every tag: what `gc -a/--all-branches` and `-T/--all-tags` keep, as
/// `dvc gc -a`/`-T` keep what each branch's or tag's commit uses (not their whole history: that is
/// `--all-commits`).
public enum RefLocks {
    /// Which refs.
    public enum Kind: String, Sendable {
        /// `refs/heads/*`.
        case branches = "refs/heads"
        /// `refs/tags/*` (annotated tags peeled to their commit).
        case tags = "refs/tags"
    }

    /// One lock per ref whose commit holds a `pipe.lock` beside the pipeline, labelled `branch NAME` or
    /// `tag NAME`. Empty when `root` is not in a git work tree. One `git for-each-ref`, then the locks read in one
    /// batch (`LockHistory.locks(of:)`).
    ///
    /// - Throws: `.lockCorrupt` naming the ref when its lock does not parse (gc must not guess); `.io` when git
    ///   fails.
    public static func locks(_ kind: Kind, repoRoot root: URL) throws -> [KeptLock] {
        guard let prefix = try LockHistory.workTreePrefix(root) else { return [] }
        let refs = try GitRunner.run(["for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)",
                                      kind.rawValue], in: root)
        guard refs.status == 0 else {
            throw PipeError(.io, "git for-each-ref \(kind.rawValue) failed in \(root.path)", fix: "check the git repository",
                            cause: refs.stderr)
        }
        let label = kind == .branches ? "branch" : "tag"
        let flag = kind == .branches ? "--all-branches" : "--all-tags"
        let commits = refs.text.split(separator: "\n").compactMap { line -> LockHistory.Commit? in
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2 else { return nil }
            let commit = fields.count >= 3 ? fields[2] : fields[1]   // a peeled annotated tag names its commit
            return LockHistory.Commit(id: commit, source: "\(label) \(fields[0])", name: fields[0],
                                      fix: "fix pipe.lock in \(label) \(fields[0]), or run gc without \(flag)")
        }
        return try LockHistory.locks(of: commits, prefix: prefix, in: root, distinct: false)
    }
}
