import Foundation
import Testing

extension Repo {
    /// Runs git in the repo, recording a failure when it fails.
    @discardableResult
    func git(_ args: String...) throws -> Result {
        let result = try run("/usr/bin/git", ["-c", "user.name=pipe tests", "-c", "user.email=tests@example.com",
                                              "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + args)
        #expect(result.status == 0, "git \(args.joined(separator: " ")): \(result.all)")
        return result
    }

    /// `git init`, add everything, commit with `message`.
    func commitAll(_ message: String) throws {
        if !exists(".git") { try git("init", "-q") }
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
    }
}

/// `pipe params diff` end to end: lock vs workspace and git revisions.
@Suite struct ParamsCommandTests {
    func repoWithTrain() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "train:\n  lr: 0.1\n  epochs: 3\nseed: 7\n")
        try repo.write("pipeline.yaml", """
            stages:
              train:
                cmd: echo ${train.lr} > model.txt
                params: [train]
                outs: [model.txt]

            """)
        return repo
    }

    @Test("Without revisions it lists params whose workspace value differs from the lock")
    func lockVersusWorkspace() throws {
        let repo = try repoWithTrain()
        #expect(try repo.pipe("repro").status == 0)
        let clean = try repo.pipe("params", "diff")
        #expect(clean.status == 0)
        #expect(clean.stdout == "No params changed between lock and workspace.\n")

        try repo.write("params.yaml", "train:\n  lr: 0.05\n  epochs: 3\nseed: 8\n")
        let diff = try repo.pipe("params", "diff")
        #expect(diff.status == 0)
        #expect(diff.stdout == """
            Path         Param     lock  workspace
            params.yaml  train.lr  0.1   0.05

            """)
        let all = try repo.pipe("params", "diff", "--all", "--md")
        #expect(all.stdout == """
            | Path | Param | lock | workspace |
            |---|---|---|---|
            | params.yaml | train.epochs | 3 | 3 |
            | params.yaml | train.lr | 0.1 | 0.05 |

            """)
        let json = try repo.pipe("params", "diff", "--json")
        #expect(json.stdout == #"{"params.yaml":{"train.lr":{"old":0.1,"new":0.05,"diff":-0.05}}}"# + "\n")
    }

    @Test("A param never locked shows as '-' on the lock side")
    func neverLocked() throws {
        let repo = try repoWithTrain()
        let diff = try repo.pipe("params", "diff")
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("params.yaml  train.epochs  -     3"))
    }

    @Test("Between git revisions it compares whole params files, and --deps keeps only declared keys")
    func revisions() throws {
        let repo = try repoWithTrain()
        try repo.commitAll("first")
        try repo.write("params.yaml", "train:\n  lr: 0.2\n  epochs: 3\nseed: 9\n")
        try repo.commitAll("second")
        let diff = try repo.pipe("params", "diff", "HEAD~1", "HEAD")
        #expect(diff.status == 0, "\(diff.all)")
        #expect(diff.stdout == """
            Path         Param     HEAD~1  HEAD
            params.yaml  seed      7       9
            params.yaml  train.lr  0.1     0.2

            """)
        let deps = try repo.pipe("params", "diff", "HEAD~1", "HEAD", "--deps", "--json")
        #expect(deps.stdout == #"{"params.yaml":{"train.lr":{"old":0.1,"new":0.2,"diff":0.1}}}"# + "\n")

        try repo.write("params.yaml", "train:\n  lr: 0.3\n  epochs: 3\nseed: 9\n")
        let workspace = try repo.pipe("params", "diff", "HEAD")
        #expect(workspace.stdout.contains("params.yaml  train.lr  0.2   0.3"), "\(workspace.all)")
    }

    @Test("An unknown revision, a repository without git and conflicting formats exit 2 with a clear message")
    func badInput() throws {
        let repo = try repoWithTrain()
        let noGit = try repo.pipe("params", "diff", "HEAD")
        #expect(noGit.status == 2)
        #expect(noGit.stderr.contains("needs a git repository"))
        try repo.commitAll("first")
        let unknown = try repo.pipe("params", "diff", "nosuchbranch")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown git revision 'nosuchbranch'"))
        let both = try repo.pipe("params", "diff", "--json", "--md")
        #expect(both.status == 2)
        #expect(both.stderr.contains("--json and --md"))
    }

    @Test("A pipeline in a subdirectory of the git work tree compares revisions of its own files")
    func subdirectory() throws {
        let repo = try Repo()
        try repo.write("proj/params.yaml", "train:\n  lr: 0.1\n")
        try repo.write("proj/pipeline.yaml", "stages:\n  train:\n    cmd: echo ${train.lr} > model.txt\n    params: [train]\n    outs: [model.txt]\n")
        try repo.write("params.yaml", "train:\n  lr: 99\n")   // the git root's own file must not be read
        try repo.commitAll("first")
        try repo.write("proj/params.yaml", "train:\n  lr: 0.2\n")
        let diff = try repo.pipe("params", "diff", "HEAD", cwd: "proj")
        #expect(diff.status == 0, "\(diff.all)")
        #expect(diff.stdout == "Path         Param     HEAD  workspace\nparams.yaml  train.lr  0.1   0.2\n")
    }
}
