import Foundation
import Testing

/// End-to-end behaviour of `pipe gc` through the built `pipe`, including git history with `--all-commits`.
@Suite struct GcTests {
    func project() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "v: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          build:
            cmd: mkdir -p out && echo ${v} > out/value && echo shared > out/shared && echo ${v}${v} > single.txt
            params: [v]
            outs: [out, single.txt]

        """)
        return repo
    }

    func objectCount(_ repo: Repo) -> Int { fannedOutFileCount(repo, under: ".cache/objects") }

    func git(_ repo: Repo, _ args: String...) throws {
        let r = try repo.run("/usr/bin/env", ["git"] + args)
        #expect(r.status == 0, "git \(args): \(r.all)")
    }

    func runEntryCount(_ repo: Repo) -> Int { fannedOutFileCount(repo, under: ".cache/runs") }

    /// Entries in the fan-out directories (`xx/…`) of a store directory of the repo.
    func fannedOutFileCount(_ repo: Repo, under directory: String) -> Int {
        let root = repo.root.appendingPathComponent(directory).path
        let fans = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return fans.reduce(0) { $0 + ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + $1))?.count ?? 0) }
    }

    @Test("gc --drop-run-cache removes the objects of an older run, reports bytes, keeps what pipe.lock names; --dry removes nothing")
    func removesOldObjects() throws {
        let repo = try project()
        #expect(try repo.pipe("repro").status == 0)
        let firstCount = objectCount(repo)
        #expect(firstCount == 4)                       // value, shared, manifest, single.txt
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(objectCount(repo) == 7)                // shared is common to both runs
        #expect(runEntryCount(repo) == 2)
        let dry = try repo.pipe("gc", "--dry", "--drop-run-cache")
        #expect(dry.status == 0, "\(dry.all)")
        #expect(dry.stdout.contains("Would remove 3 objects"))
        #expect(dry.stdout.contains("Would remove 2 run-cache entries."))
        #expect(objectCount(repo) == 7)
        #expect(runEntryCount(repo) == 2)
        let json = try repo.pipe("gc", "--json", "--drop-run-cache")
        #expect(json.status == 0, "\(json.all)")
        #expect(json.stdout.contains("\"dry\":false,\"removed\":{\"objects\":3,\"bytes\":"))
        #expect(json.stdout.contains("\"runCache\":{\"kept\":0,\"removed\":[{\"key\":"))
        #expect(objectCount(repo) == 4)
        #expect(runEntryCount(repo) == 0)
        try repo.remove("out")
        try repo.remove("single.txt")
        let checkout = try repo.pipe("checkout")
        #expect(checkout.status == 0, "\(checkout.all)")
        #expect(repo.read("out/value") == "2\n")
        #expect(repo.read("out/shared") == "shared\n")
        #expect(try repo.pipe("gc").stdout.contains("Removed 0 objects"))
    }

    @Test("plain gc keeps the objects a run-cache entry names and says so; going back to the old param then restores instead of rerunning")
    func keepsRunCacheObjects() throws {
        let repo = try project()
        #expect(try repo.pipe("repro").status == 0)
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        let gc = try repo.pipe("gc")
        #expect(gc.status == 0, "\(gc.all)")
        #expect(gc.stdout.contains("Removed 0 objects"), "\(gc.all)")
        #expect(gc.stdout.contains("named by 1 lock and 2 run-cache entries."), "\(gc.all)")
        #expect(gc.stdout.contains("3 kept objects"), "\(gc.all)")
        #expect(gc.stdout.contains("named only by the run cache; `pipe gc --drop-run-cache` removes them"), "\(gc.all)")
        #expect(objectCount(repo) == 7)
        try repo.write("params.yaml", "v: 1\n")
        let back = try repo.pipe("repro")
        #expect(back.status == 0, "\(back.all)")
        #expect(back.stdout.contains("restored from the run cache"), "\(back.all)")
        #expect(repo.read("out/value") == "1\n")
        #expect(repo.read("single.txt") == "11\n")
    }

    @Test("after gc --drop-run-cache, going back to the old param reruns the stage, and gc deletes an entry whose object was removed by hand")
    func dropRunCacheThenRerun() throws {
        let repo = try project()
        #expect(try repo.pipe("repro").status == 0)
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        let gc = try repo.pipe("gc", "--drop-run-cache")
        #expect(gc.status == 0, "\(gc.all)")
        #expect(gc.stdout.contains("Removed 3 objects"), "\(gc.all)")
        #expect(gc.stdout.contains("removed run-cache entry "), "\(gc.all)")
        try repo.write("params.yaml", "v: 1\n")
        let back = try repo.pipe("repro")
        #expect(back.status == 0, "\(back.all)")
        #expect(!back.stdout.contains("restored from the run cache"), "\(back.all)")
        #expect(repo.read("out/value") == "1\n")
        #expect(runEntryCount(repo) == 1)             // the v1 run, recorded again

        // An entry naming an object that is gone can never be used: plain gc deletes it.
        let objects = repo.root.appendingPathComponent(".cache/objects").path
        for fan in try FileManager.default.contentsOfDirectory(atPath: objects) {
            for name in try FileManager.default.contentsOfDirectory(atPath: objects + "/" + fan) where name.hasSuffix(".dir") {
                try FileManager.default.removeItem(atPath: objects + "/" + fan + "/" + name)
            }
        }
        let prune = try repo.pipe("gc", "--json")
        #expect(prune.status == 0, "\(prune.all)")
        #expect(prune.stdout.contains("\"reason\":\"output out is no longer in the cache\""), "\(prune.all)")
        #expect(runEntryCount(repo) == 0)
    }

    @Test("gc keeps the outputs of recorded experiments, so exp apply still restores them")
    func keepsExperiments() throws {
        let repo = try project()
        #expect(try repo.pipe("exp", "run", "-n", "one").status == 0)
        #expect(try repo.pipe("exp", "run", "-n", "two", "-S", "v=2").status == 0)
        let gc = try repo.pipe("gc")
        #expect(gc.status == 0, "\(gc.all)")
        #expect(gc.stdout.contains("Removed 0 objects"))
        #expect(try repo.pipe("exp", "apply", "one").status == 0)
        #expect(repo.read("out/value") == "1\n")
    }

    @Test("gc --all-commits keeps objects named by any pipe.lock in git history; plain gc keeps only the workspace's")
    func allCommits() throws {
        let repo = try project()
        try git(repo, "init", "-q")
        try git(repo, "config", "user.name", "Test")
        try git(repo, "config", "user.email", "test@example.com")
        #expect(try repo.pipe("repro").status == 0)
        try git(repo, "add", "params.yaml", "pipeline.yaml", "pipe.lock", ".gitignore")
        try git(repo, "commit", "-q", "-m", "v1")
        try git(repo, "checkout", "-q", "-b", "side")
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        try git(repo, "commit", "-q", "-am", "v2 on a branch")
        try git(repo, "checkout", "-q", "-")
        try repo.write("params.yaml", "v: 3\n")
        #expect(try repo.pipe("repro").status == 0)       // v3, uncommitted
        #expect(objectCount(repo) == 10)
        let history = try repo.pipe("gc", "--all-commits", "--json")
        #expect(history.status == 0, "\(history.all)")
        #expect(history.stdout.contains("\"removed\":{\"objects\":0,"))
        #expect(history.stdout.contains("\"commit "))
        try git(repo, "checkout", "-q", "side", "--", "params.yaml", "pipe.lock")
        try repo.remove("out")
        #expect(try repo.pipe("checkout").status == 0)
        #expect(repo.read("out/value") == "2\n")
        try git(repo, "checkout", "-q", "HEAD", "--", "params.yaml", "pipe.lock")   // back to v1 in the workspace
        let plain = try repo.pipe("gc", "--drop-run-cache")
        #expect(plain.status == 0, "\(plain.all)")
        #expect(plain.stdout.contains("Removed 6 objects"))  // v2's and v3's value, manifest, single.txt
        try repo.remove("out")
        // single.txt still holds v3's content, which gc just removed from the cache: as in DVC, only --force
        // lets checkout overwrite it
        #expect(try repo.pipe("checkout").status == 1)
        #expect(try repo.pipe("checkout", "--force").status == 0)
        #expect(repo.read("out/value") == "1\n")
    }

    @Test("gc takes the repository lock: while another process holds it, gc fails at once with exit 1 and removes nothing")
    func takesTheRepoLock() throws {
        let repo = try project()
        #expect(try repo.pipe("repro").status == 0)
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        let before = objectCount(repo)
        let fd = open(repo.root.appendingPathComponent(".cache/repo.lock").path, O_RDWR | O_CREAT, 0o644)
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)   // what another pipe writer holds while it works
        _ = "4242\n".withCString { pwrite(fd, $0, 5, 0) }
        let gc = try repo.pipe("gc")
        #expect(gc.status == 1, "\(gc.all)")
        #expect(gc.stderr.contains("another pipe process (pid 4242)"))
        #expect(objectCount(repo) == before)
        flock(fd, LOCK_UN)
        #expect(try repo.pipe("gc", "--drop-run-cache").status == 0)
        #expect(objectCount(repo) < before)
    }
}
