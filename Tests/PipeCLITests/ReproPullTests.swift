import Foundation
import Testing

/// `pipe repro --pull` (fetch what spares a rerun, on demand) and `--allow-missing` (data absent here but in the
/// lock is no reason to rerun), against a directory remote, through the built `pipe`.
@Suite struct ReproPullTests {
    let helper = RemoteTests()

    /// Two stages in a chain, each output also counted in `runs.log` so a test sees which commands ran.
    func project(remote: URL) throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "n: 3\nm: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          first:
            cmd: echo first >> runs.log && seq ${n} > first.txt
            params: [n]
            outs: [first.txt]
          second:
            cmd: echo second >> runs.log && mkdir -p out && wc -l < first.txt > out/count && echo ${m} > out/m
            deps: [first.txt]
            params: [m]
            outs: [out]

        """)
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("remote", "add", "-d", "store", remote.path).status == 0)
        return repo
    }

    /// A clone as git gives it (pipeline, params, lock, config), with no cache and no outs.
    func clone(_ repo: Repo) throws -> Repo {
        let fresh = try helper.clone(repo)
        try fresh.write("params.yaml", repo.read("params.yaml")!)
        return fresh
    }

    @Test("repro --pull in a fresh clone restores every stage from the remote and runs none; without --pull both run")
    func pullRestoresInsteadOfRunning() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)

        let fresh = try clone(repo)
        let pull = try fresh.pipe("repro", "--pull")
        #expect(pull.status == 0, "\(pull.all)")
        #expect(pull.stdout == """
        'first': restored first.txt from the cache
        'second': restored out from the cache

        """, "\(pull.all)")
        // first.txt, and out: its two files, then its manifest
        #expect(pull.stderr == "repro --pull: 4 objects fetched (112 B), 0 already in the cache\n")
        #expect(!fresh.exists("runs.log"))
        for path in ["first.txt", "out/count", "out/m"] { #expect(fresh.read(path) == repo.read(path)) }
        #expect(fresh.read("pipe.lock") == repo.read("pipe.lock"))
        #expect(try fresh.pipe("status").stdout == "Pipeline is up to date.\n")

        let control = try clone(repo)
        let plain = try control.pipe("repro")
        #expect(plain.status == 0)
        #expect(control.read("runs.log") == "first\nsecond\n")
    }

    @Test("repro --pull fetches only what a stage that need not run lacks: a changed param reruns its stage alone")
    func pullThenRunTheChangedStage() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)

        let fresh = try clone(repo)
        try fresh.write("params.yaml", "n: 3\nm: 2\n")
        let pull = try fresh.pipe("repro", "--pull")
        #expect(pull.status == 0, "\(pull.all)")
        #expect(pull.stdout.hasPrefix("'first': restored first.txt from the cache\n"), "\(pull.stdout)")
        #expect(pull.stdout.contains("Running 'second' because:"))
        #expect(pull.stderr == "repro --pull: 1 object fetched (6 B), 0 already in the cache\n")
        #expect(fresh.read("runs.log") == "second\n")
        #expect(fresh.read("out/m") == "2\n")
    }

    @Test("repro --pull restores a run seen elsewhere from the remote's run cache, fetched on demand")
    func pullUsesTheRemoteRunCache() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        try repo.write("params.yaml", "n: 3\nm: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        try repo.write("params.yaml", "n: 3\nm: 1\n")
        #expect(try repo.pipe("repro").status == 0)      // back at m 1, from the local run cache
        #expect(try repo.pipe("push", "--run-cache").status == 0)

        let fresh = try clone(repo)
        try fresh.write("params.yaml", "n: 3\nm: 2\n")
        let pull = try fresh.pipe("repro", "--pull")
        #expect(pull.status == 0, "\(pull.all)")
        #expect(pull.stdout.contains("'second': restored from the run cache"), "\(pull.stdout)")
        #expect(!fresh.exists("runs.log"))
        #expect(fresh.read("out/m") == "2\n")
    }

    @Test("repro --pull with an object the remote lacks runs that stage; a corrupt remote object is reported and never used")
    func pullFallsBackToRunning() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let firstObject = helper.remoteFiles(remote).first { !$0.hasSuffix(".dir") && $0.hasPrefix("objects/") }!
        let lock = repo.read("pipe.lock")!
        // Corrupt the object of first.txt (the one whose lock hash is in its key).
        let firstHash = String(firstObject.dropFirst("objects/".count)).replacingOccurrences(of: "/", with: "")
        #expect(lock.contains(firstHash))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: remote.path + "/" + firstObject)
        try Data("tampered\n".utf8).write(to: remote.appendingPathComponent(firstObject))

        let fresh = try clone(repo)
        let pull = try fresh.pipe("repro", "--pull")
        #expect(pull.status == 0, "\(pull.all)")
        #expect(pull.stderr.contains("warning: could not fetch "), "\(pull.stderr)")
        #expect(fresh.read("first.txt") == "1\n2\n3\n")
        #expect(fresh.read("runs.log")?.hasPrefix("first\n") == true)
    }

    @Test("repro --pull without a remote configured is one clear line, exit 2, and runs nothing")
    func pullWithoutRemote() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n")
        let pull = try repo.pipe("repro", "--pull")
        #expect(pull.status == 2)
        #expect(pull.stderr == "error: no remote is configured\n  fix: add one: pipe remote add -d NAME URL\n")
        #expect(!repo.exists("a.txt"))
    }

    @Test("--allow-missing: a fresh clone without data is up to date; a changed param still reruns its stage")
    func allowMissing() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        let fresh = try clone(repo)
        let dry = try fresh.pipe("repro", "--dry", "--allow-missing")
        #expect(dry.status == 0, "\(dry.all)")
        #expect(dry.stdout == "'first' is up to date\n'second' is up to date\n", "\(dry.stdout)")
        let plain = try fresh.pipe("repro", "--dry")
        #expect(plain.stdout.hasPrefix("would run 'first' because:\n    out first.txt missing\n"), "\(plain.stdout)")

        try fresh.write("params.yaml", "n: 3\nm: 2\n")
        let changed = try fresh.pipe("repro", "--dry", "--allow-missing")
        #expect(changed.stdout.hasPrefix("'first' is up to date\nwould run 'second' because:\n"), "\(changed.stdout)")
        #expect(changed.stdout.contains("    param m 1 → 2\n"), "\(changed.stdout)")
    }

    @Test("exp run --pull in a fresh clone fetches the unchanged stage, runs only the one whose param -S changed, and records the experiment")
    func expRunPull() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)

        let fresh = try clone(repo)
        let run = try fresh.pipe("exp", "run", "--pull", "-S", "m=2", "-n", "m2")
        #expect(run.status == 0, "\(run.all)")
        #expect(run.stdout.hasPrefix("Modified params.yaml\n'first': restored first.txt from the cache\n"), "\(run.stdout)")
        #expect(run.stdout.contains("Running 'second' because:"))
        #expect(run.stdout.hasSuffix("Recorded experiment 'm2'\n"), "\(run.stdout)")
        #expect(run.stderr == "repro --pull: 1 object fetched (6 B), 0 already in the cache\n")
        #expect(fresh.read("runs.log") == "second\n")
        #expect(fresh.read("out/m") == "2\n")
    }

    @Test("exp run --allow-missing in a fresh clone without data runs nothing when no param changed")
    func expRunAllowMissing() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        let fresh = try clone(repo)
        let run = try fresh.pipe("exp", "run", "--allow-missing", "-n", "same")
        #expect(run.status == 0, "\(run.all)")
        #expect(!fresh.exists("runs.log"))
        #expect(run.stdout.hasSuffix("Recorded experiment 'same'\n"), "\(run.stdout)")
    }
}
