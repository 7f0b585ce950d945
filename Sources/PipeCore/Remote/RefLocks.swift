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
    /// `tag NAME`. Empty when `root` is not in a git work tree. One `git for-each-ref`, one `git show` per ref.
    ///
    /// - Throws: `.lockCorrupt` naming the ref when its lock does not parse (gc must not guess); `.io` when git
    ///   fails.
    public static func locks(_ kind: Kind, repoRoot root: URL) throws -> [KeptLock] {
        let inside = try GitRunner.run(["rev-parse", "--is-inside-work-tree"], in: root)
        guard inside.status == 0, inside.text == "true" else { return [] }
        let prefix = try GitRunner.run(["rev-parse", "--show-prefix"], in: root).text
        let refs = try GitRunner.run(["for-each-ref", "--format=%(refname:short) %(objectname) %(*objectname)",
                                      kind.rawValue], in: root)
        guard refs.status == 0 else {
            throw PipeError(.io, "git for-each-ref \(kind.rawValue) failed in \(root.path)", fix: "check the git repository",
                            cause: refs.stderr)
        }
        var result: [KeptLock] = []
        for line in refs.text.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            guard fields.count >= 2 else { continue }
            let commit = fields.count >= 3 ? fields[2] : fields[1]   // a peeled annotated tag names its commit
            let show = try GitRunner.run(["show", "\(commit):\(prefix)pipe.lock"], in: root)
            guard show.status == 0 else { continue }   // no lock in that commit
            let label = "\(kind == .branches ? "branch" : "tag") \(fields[0])"
            do {
                result.append(KeptLock(source: label, lock: try LockFile.parse(String(decoding: show.stdout, as: UTF8.self),
                                                                              file: "\(fields[0]):\(prefix)pipe.lock")))
            } catch var error as PipeError {
                error.fix = "fix pipe.lock in \(label), or run gc without \(kind == .branches ? "--all-branches" : "--all-tags")"
                throw error
            }
        }
        return result
    }
}
