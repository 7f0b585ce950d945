import Foundation
import Testing

/// `pipe remote`, `push`, `fetch`, `pull` and `status --cloud` against a directory remote, through the built `pipe`.
@Suite struct RemoteTests {
    /// A repository whose one stage writes a directory, a file and a `push: false` file, with a directory remote.
    func project(remote: URL) throws -> Repo {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          make:
            cmd: mkdir -p d/sub && echo a > d/a && echo b > d/sub/b && echo hi > f.txt && echo mine > local.txt
            outs:
              - d
              - f.txt
              - local.txt:
                  push: false

        """)
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("remote", "add", "-d", "store", remote.path).status == 0)
        return repo
    }

    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-remote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A clone of `repo` as git would give it: pipeline, lock and config, no `.cache` and no outs.
    func clone(_ repo: Repo) throws -> Repo {
        let fresh = try Repo()
        for path in ["pipeline.yaml", "pipe.lock", ".pipe/config"] where repo.exists(path) {
            try fresh.write(path, repo.read(path)!)
        }
        return fresh
    }

    /// Remote keys (relative paths of files under the remote directory), sorted.
    func remoteFiles(_ remote: URL) -> [String] {
        let walker = FileManager.default.enumerator(atPath: remote.path)
        var files: [String] = []
        while let path = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: remote.path + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    @Test("remote add writes .pipe/config; list masks secrets, which only --local may hold; bad keys exit 2 with a did-you-mean")
    func configCommands() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages: {}\n")
        #expect(try repo.pipe("remote", "add", "-d", "store", "s3://bucket/team/cache").status == 0)
        #expect(try repo.pipe("remote", "modify", "store", "endpoint_url", "http://127.0.0.1:8333").status == 0)
        #expect(try repo.pipe("remote", "modify", "store", "jobs", "8").status == 0)
        #expect(repo.read(".pipe/config") == """
        # pipe project config (edit with `pipe remote ...`); secrets belong in .pipe/config.local
        remotes:
          store:
            url: "s3://bucket/team/cache"
            endpoint_url: "http://127.0.0.1:8333"
            jobs: 8
        default_remote: store

        """)
        let secret = try repo.pipe("remote", "modify", "store", "secret_access_key", "s3cr3t-value")
        #expect(secret.status == 2)
        #expect(secret.stderr == """
        error: remotes.store.secret_access_key: 'secret_access_key' is a secret: it is never written to the committed .pipe/config
          fix: add --local: pipe remote modify --local store secret_access_key VALUE

        """)
        #expect(try repo.pipe("remote", "modify", "--local", "store", "secret_access_key", "s3cr3t-value").status == 0)
        let list = try repo.pipe("remote", "list")
        #expect(list.status == 0)
        #expect(list.stdout == "store\ts3://bucket/team/cache\t(default)\tendpoint_url=http://127.0.0.1:8333\tjobs=8\tsecret_access_key=***\n")
        #expect(!list.all.contains("s3cr3t"))
        #expect(repo.read(".pipe/.gitignore") == "/config.local\n")
        #expect(repo.read(".pipe/config")?.contains("s3cr3t") == false)

        let typo = try repo.pipe("remote", "modify", "store", "regoin", "eu-west-1")
        #expect(typo.status == 2)
        #expect(typo.stderr.hasPrefix("error: remotes.store.regoin: remotes have no option 'regoin'\n  fix: did you mean 'region'?"))
        let unknown = try repo.pipe("push", "-r", "stor")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: no remote named 'stor'\n  fix: did you mean 'store'?"))
        #expect(try repo.pipe("remote", "add", "store", "/tmp/x").status == 2)
        #expect(try repo.pipe("remote", "add", "other", "ftp://host/x").stderr
                == "error: unsupported remote URL scheme 'ftp://'\n  fix: use s3://BUCKET/PREFIX (S3 or an S3-compatible endpoint_url) or a directory path\n")
        #expect(try repo.pipe("remote", "remove", "store").status == 0)
        #expect(try repo.pipe("remote", "list").stdout == "")
    }

    @Test("a hand-edited config with an unknown key or a committed secret names the file, line and key, exit 2")
    func badConfigFile() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages: {}\n")
        try repo.write(".pipe/config", "remotes:\n  store:\n    url: /tmp/r\n    endpoint: http://x\n")
        let unknown = try repo.pipe("remote", "list")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == """
        .pipe/config:4:5: error: remotes.store.endpoint: unknown key 'endpoint' in remote 'store'
          fix: remove it; allowed keys are: url, endpoint_url, region, profile, jobs, access_key_id, secret_access_key, session_token

        """)
        try repo.write(".pipe/config", "remotes:\n  store:\n    url: /tmp/r\n    secret_access_key: abc123\n")
        let committed = try repo.pipe("push")
        #expect(committed.status == 2)
        #expect(committed.stderr.hasPrefix(".pipe/config:4:5: error: remotes.store.secret_access_key: 'remotes.store.secret_access_key' is a secret"))
        #expect(!committed.all.contains("abc123"))
        try repo.write(".pipe/config", "default_remote: store\n")
        let none = try repo.pipe("push")
        #expect(none.status == 2)
        #expect(none.stderr == "error: default_remote: default_remote 'store' names no configured remote\n  fix: configured remotes: none (pipe remote add NAME URL)\n")
    }

    @Test("push then pull into a fresh clone restores every out byte-identical and status is clean; a second push sends nothing")
    func pushPullRoundTrip() throws {
        let remote = try scratch()
        let repo = try project(remote: remote)
        let before = try repo.pipe("status", "--cloud")
        #expect(before.status == 0)
        #expect(before.stdout == """
        \tonly local  d  (make, remote store)
        \tonly local  f.txt  (make, remote store)

        """)
        let push = try repo.pipe("push")
        #expect(push.status == 0)
        #expect(push.stdout == "4 objects pushed (109 B), 0 already on the remote\n")
        // files first in the cache's own layout; local.txt (push: false) stays here
        #expect(remoteFiles(remote).count == 4)
        #expect(remoteFiles(remote).filter { $0.hasSuffix(".dir") }.count == 1)
        #expect(try repo.pipe("push").stdout == "Everything is up to date (4 objects already on the remote).\n")
        // local.txt (push: false) belongs on no remote, so it does not keep the cache and remote out of sync
        #expect(try repo.pipe("status", "--cloud", "--check").status == 0)

        let fresh = try clone(repo)
        let pull = try fresh.pipe("pull")
        #expect(pull.status == 0)
        #expect(pull.stdout == "restored d\nrestored f.txt\n4 objects fetched (109 B), 0 already in the cache\n")
        #expect(pull.stderr == "warning: local.txt: not in the cache or on the remote\n")
        for path in ["d/a", "d/sub/b", "f.txt"] { #expect(fresh.read(path) == repo.read(path)) }
        try fresh.write("local.txt", repo.read("local.txt")!)
        #expect(try fresh.pipe("status").stdout == "Pipeline is up to date.\n")
        #expect(try fresh.pipe("fetch").stdout == "Everything is up to date (4 objects already in the cache).\n")
    }

    @Test("a corrupted remote object is reported, exit 1, and never enters the cache; the rest still arrives")
    func corruptRemoteObject() throws {
        let remote = try scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let fileKey = "objects/" + remoteFiles(remote).first { !$0.hasSuffix(".dir") && !$0.hasPrefix("objects/.") }!
            .dropFirst("objects/".count)
        let objectPath = remote.path + "/" + fileKey
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: objectPath)
        try Data("tampered\n".utf8).write(to: URL(fileURLWithPath: objectPath))

        let fresh = try clone(repo)
        let fetch = try fresh.pipe("fetch")
        #expect(fetch.status == 1)
        #expect(fetch.stderr.contains("is corrupt: its content hashes to"))
        #expect(fetch.stderr.contains("error: 1 object failed\n"))
        #expect(fetch.stdout.hasPrefix("2 objects fetched"))
        let hex = fileKey.split(separator: "/").dropFirst().joined()
        #expect(!fresh.exists(".cache/objects/" + hex.prefix(2) + "/" + hex.dropFirst(2)))
    }

    @Test("pull of an object the remote lacks is an error naming the out and the remote, exit 1; the rest is restored")
    func pullMissingObject() throws {
        let remote = try scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let hex = try #require(lockedHash(of: "f.txt", in: repo))
        try FileManager.default.removeItem(atPath: remote.path + "/objects/" + hex.prefix(2) + "/" + hex.dropFirst(2))

        let fresh = try clone(repo)
        let pull = try fresh.pipe("pull")
        #expect(pull.status == 1)
        #expect(pull.stdout == "restored d\n3 objects fetched (106 B), 0 already in the cache, 1 failed\n")
        #expect(pull.stderr == """
            warning: local.txt: not in the cache or on the remote
            error: f.txt (object \(hex)): not on remote 'store'; push it from a clone whose cache has it
            error: 1 object failed
              fix: fix the causes above and run the command again: what arrived is kept, only the rest moves

            """)
        #expect(fresh.read("d/sub/b") == "b\n" && !fresh.exists("f.txt"))
        #expect(try fresh.pipe("fetch").status == 1)
    }

    @Test("a fetch removes the partial downloads an interrupted fetch left in .cache/tmp, never a running one's")
    func abandonedDownloadsRemoved() throws {
        let remote = try scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let fresh = try clone(repo)
        let exited = Process()
        exited.executableURL = URL(fileURLWithPath: "/bin/true")
        try exited.run()
        exited.waitUntilExit()
        let gone = exited.processIdentifier, alive = ProcessInfo.processInfo.processIdentifier
        // what Ctrl-C during a large download leaves: a staging file, and a file of an uncommitted intake batch
        for path in [".cache/tmp/fetch-816d9f12-\(gone)-1205839216920708051", ".cache/tmp/intake-81/816d9f-\(gone)-3",
                     ".cache/tmp/fetch-0badcafe-\(alive)-7"] {
            try fresh.write(path, "partial")
        }
        let fetch = try fresh.pipe("fetch")
        #expect(fetch.status == 0, "\(fetch.all)")
        #expect(!fresh.exists(".cache/tmp/fetch-816d9f12-\(gone)-1205839216920708051"))
        #expect(!fresh.exists(".cache/tmp/intake-81/816d9f-\(gone)-3"))
        #expect(fresh.exists(".cache/tmp/fetch-0badcafe-\(alive)-7"))
    }

    /// The hash `pipe.lock` records for the out at `path` of `repo`.
    func lockedHash(of path: String, in repo: Repo) -> String? {
        let lines = repo.read("pipe.lock")?.split(separator: "\n").map(String.init) ?? []
        guard let index = lines.firstIndex(where: { $0.hasSuffix("path: \(path)") }) else { return nil }
        return lines[(index + 1)...].first { $0.contains("hash:") }?
            .split(separator: ":").last?.trimmingCharacters(in: .whitespaces)
    }

    @Test("an interrupted push resumes: only what the remote lacks is sent, and a directory's manifest goes only after its files")
    func resumedPush() throws {
        let remote = try scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        // as if the push had stopped after one file: the manifest and the other files are not there
        let files = remoteFiles(remote)
        for key in files.dropFirst() { try FileManager.default.removeItem(atPath: remote.path + "/" + key) }
        let status = try repo.pipe("status", "--cloud", "d", "f.txt")
        #expect(status.status == 0)   // out paths are targets, as in `dvc status -c PATH`
        #expect(try repo.pipe("status", "--cloud").stdout.contains("only local  d  (make, remote store)"))
        let resumed = try repo.pipe("push")
        #expect(resumed.status == 0)
        #expect(resumed.stdout.hasPrefix("3 objects pushed ("))
        #expect(resumed.stdout.hasSuffix(" B), 1 already on the remote\n"))
        #expect(remoteFiles(remote) == files)
    }

    @Test("per-out remote: sends that out to its own remote; push: false keeps an out off every remote")
    func perOutRemote() throws {
        let main = try scratch(), models = try scratch()
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          make:
            cmd: echo data > data.txt && echo weights > model.bin && echo scratch > tmp.txt
            outs:
              - data.txt
              - model.bin:
                  remote: models
              - tmp.txt:
                  push: false

        """)
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("remote", "add", "-d", "main", main.path).status == 0)
        #expect(try repo.pipe("remote", "add", "models", models.path).status == 0)
        #expect(try repo.pipe("push").stdout == "2 objects pushed (13 B), 0 already on the remote\n")
        #expect(remoteFiles(main).count == 1)
        #expect(remoteFiles(models).count == 1)
        let status = try repo.pipe("status", "--cloud", "--json")
        #expect(status.stdout.contains(#"{"stage":"make","path":"model.bin","remote":"models","state":"in sync"}"#))
        #expect(!status.stdout.contains("tmp.txt"))   // push: false: on no remote, so not in `status --cloud` (as dvc)
    }
}

/// `--run-cache` transfers and `gc --cloud`.
@Suite struct RemoteRunCacheAndGcTests {
    let helper = RemoteTests()

    func project(remote: URL) throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "v: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          build:
            cmd: mkdir -p out && echo ${v} > out/value && echo ${v}${v} > single.txt
            params: [v]
            outs: [out, single.txt]

        """)
        #expect(try repo.pipe("remote", "add", "-d", "store", remote.path).status == 0)
        return repo
    }

    @Test("push --run-cache sends entries after their objects; a fresh clone that fetches them restores a run seen elsewhere instead of running it")
    func runCacheTravels() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("repro").status == 0)
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        try repo.write("params.yaml", "v: 1\n")
        #expect(try repo.pipe("repro").status == 0)       // restored from the run cache; lock back at v 1
        let push = try repo.pipe("push", "--run-cache")
        #expect(push.status == 0)
        #expect(helper.remoteFiles(remote).filter { $0.hasPrefix("runs/") }.count == 2)

        let fresh = try helper.clone(repo)
        try fresh.write("params.yaml", "v: 2\n")
        let fetch = try fresh.pipe("fetch", "--run-cache")
        #expect(fetch.status == 0)
        let repro = try fresh.pipe("repro")
        #expect(repro.status == 0)
        #expect(repro.stdout.contains("'build': restored from the run cache"))
        #expect(fresh.read("out/value") == "2\n")
        #expect(fresh.read("single.txt") == "22\n")
    }

    @Test("gc --cloud removes the remote objects no lock names (--dry first lists them), keeps the rest, and a pull still works")
    func cloudGc() throws {
        let remote = try helper.scratch()
        let repo = try project(remote: remote)
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        let before = helper.remoteFiles(remote)
        #expect(before.count == 6)       // v1: value, single, manifest; v2: the same three
        let dry = try repo.pipe("gc", "--cloud", "-w", "--dry")
        #expect(dry.status == 0)
        #expect(dry.stdout.split(separator: "\n").filter { $0.hasPrefix("would remove objects/") }.count == 3)
        #expect(helper.remoteFiles(remote) == before)
        let gc = try repo.pipe("gc", "--cloud", "-w", "-f")
        #expect(gc.status == 0)
        #expect(gc.stdout.hasSuffix("from remote 'store', kept 3\n"))
        #expect(helper.remoteFiles(remote).count == 3)
        let fresh = try helper.clone(repo)
        try fresh.write("params.yaml", "v: 2\n")
        #expect(try fresh.pipe("pull").status == 0)
        #expect(fresh.read("out/value") == "2\n")
        #expect(try fresh.pipe("status").stdout == "Pipeline is up to date.\n")
    }
}
