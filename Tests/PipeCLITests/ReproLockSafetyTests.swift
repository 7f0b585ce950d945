import Foundation
import Testing

/// `pipe repro` batches its lock writes (issue 6, scale); an interrupted or failed run must still leave a lock
/// whose every entry is true of the workspace and holds every stage that finished.
@Suite struct ReproLockSafetyTests {
    /// A stage command that interrupts pipe (its parent) and runs until the forwarded SIGINT reaches it. The trap
    /// comes first: pipe forwards the signal to the stage's process group so fast that it can reach the shell
    /// before a child such as `tail -f` exists, and a shell waiting for a child that never saw the signal waits
    /// forever (the test then hung until its watchdog). A busy loop of builtins, not a sleep.
    static let interruptPipe = "trap 'exit 130' INT && kill -INT $PPID && while true; do true; done"

    /// Three quick stages in a chain (each appends its name to runs.log), then `last`, whose command is `last`.
    func quickChainThen(_ last: String) throws -> Repo {
        let repo = try Repo()
        try repo.write("src.txt", "source\n")
        try repo.write("pipeline.yaml", """
        stages:
          a:
            cmd: echo a >> runs.log && cp src.txt a.txt
            deps: [src.txt]
            outs: [a.txt]
          b:
            cmd: echo b >> runs.log && cp a.txt b.txt
            deps: [a.txt]
            outs: [b.txt]
          c:
            cmd: echo c >> runs.log && cp b.txt c.txt
            deps: [b.txt]
            outs: [c.txt]
          last:
            cmd: \(last)
            deps: [c.txt]
            outs: [last.txt]

        """)
        return repo
    }

    func runs(_ repo: Repo) -> [String] {
        (repo.read("runs.log") ?? "").split(separator: "\n").map(String.init)
    }

    /// The lock holds a, b, c (all true: `status --check c` passes) and no `last`; a rerun runs only `last`.
    func expectFinishedStagesLockedAndTrue(_ repo: Repo) throws {
        let lock = repo.read("pipe.lock") ?? ""
        for name in ["a", "b", "c"] { #expect(lock.contains("\n  \(name):\n"), "\(name) missing from\n\(lock)") }
        #expect(!lock.contains("  last:"))
        let status = try repo.pipe("status", "--check", "c")
        #expect(status.status == 0, "\(status.all)")
        #expect(repo.read(".gitignore") == "/a.txt\n/b.txt\n/c.txt\n")
    }

    @Test func anInterruptAfterQuickStagesStillLocksEveryFinishedStageTruthfully() throws {
        let repo = try quickChainThen(Self.interruptPipe)
        let r = try repo.pipe("repro", "-j", "1")
        #expect(r.status == 1)
        #expect(r.stderr.contains("interrupted"))
        try expectFinishedStagesLockedAndTrue(repo)
        try repo.write("pipeline.yaml", repo.read("pipeline.yaml")!.replacingOccurrences(
            of: Self.interruptPipe, with: "cp c.txt last.txt"))
        let again = try repo.pipe("repro")
        #expect(again.status == 0, "\(again.all)")
        #expect(runs(repo) == ["a", "b", "c"])
        #expect(repo.read("last.txt") == "source\n")
    }

    @Test func aFailingStageAfterQuickStagesStillLocksEveryFinishedStageTruthfully() throws {
        let repo = try quickChainThen("echo boom >&2 && exit 4")
        let r = try repo.pipe("repro", "-j", "1")
        #expect(r.status == 1)
        #expect(r.stderr.contains("'last' failed"))
        try expectFinishedStagesLockedAndTrue(repo)
    }

    @Test func keepGoingLocksTheBranchesThatFinishedAfterAFailure() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          bad:
            cmd: exit 1
            outs: [bad.txt]
          after-bad:
            cmd: cp bad.txt after.txt
            deps: [bad.txt]
            outs: [after.txt]
          good:
            cmd: echo ok > good.txt
            outs: [good.txt]
          good2:
            cmd: cp good.txt good2.txt
            deps: [good.txt]
            outs: [good2.txt]

        """)
        let r = try repo.pipe("repro", "--keep-going", "-j", "1")
        #expect(r.status == 1)
        let lock = repo.read("pipe.lock") ?? ""
        #expect(lock.contains("\n  good:\n") && lock.contains("\n  good2:\n"), "\(lock)")
        #expect(!lock.contains("bad:"))
        #expect(try repo.pipe("status", "--check", "good2").status == 0)
    }

    @Test func aFinishedStageIsInTheLockWhileALaterStageStillRuns() throws {
        // `last` waits (a bounded busy loop, no sleep) until pipe.lock names `c`: the entry is written during
        // the run, not only at its end.
        let repo = try quickChainThen(
            "i=0; until grep -qs '^  c:' pipe.lock; do i=$((i+1)); [ $i -lt 20000 ] || exit 9; done; cp c.txt last.txt")
        let r = try repo.pipe("repro", "-j", "1")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("pipe.lock")?.contains("\n  last:\n") == true)
    }

    @Test func manyQuickStagesAreAllLockedAndASecondReproFindsThemUpToDate() throws {
        let repo = try Repo()
        var yaml = "stages:\n"
        for i in 0..<60 {
            let dep = i == 0 ? "" : "\n    deps: [o\(i - 1).txt]"
            yaml += "  s\(i):\n    cmd: echo \(i) > o\(i).txt\(dep)\n    outs: [o\(i).txt]\n"
        }
        try repo.write("pipeline.yaml", yaml)
        let first = try repo.pipe("repro", "-j", "2")
        #expect(first.status == 0, "\(first.all)")
        let lock = repo.read("pipe.lock") ?? ""
        #expect(lock.components(separatedBy: "\n    cmd: ").count == 61)
        let gitignore = (repo.read(".gitignore") ?? "").split(separator: "\n")
        #expect(gitignore.count == 60 && Set(gitignore).count == 60)
        let second = try repo.pipe("repro")
        #expect(second.status == 0)
        #expect(!second.stdout.contains("Running"), "\(second.stdout)")
        #expect(repo.read("pipe.lock") == lock)
    }
}
