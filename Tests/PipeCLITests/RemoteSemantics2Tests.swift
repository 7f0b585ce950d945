import Foundation
import Testing

/// Remote semantics pinned against DVC 3.67.1's (`dvc status -c`, `dvc push/pull PATH`, `dvc pull --force`,
/// `dvc remote rename/remove/default`, `dvc gc -c -w/-a/-T -f`), through the built `pipe` and a directory remote.
@Suite struct RemoteSemantics2Tests {
    let helper = RemoteTests()

    /// `pipe ARGS` with `input` on its standard input.
    func pipe(_ repo: Repo, input: String, _ args: String...) throws -> Repo.Result {
        try repo.run(Repo.pipeExecutable.path, args, input: input)
    }

    /// `git ARGS` in `repo`, with an identity for commits.
    func git(_ repo: Repo, _ args: String...) throws {
        let result = try repo.run("/usr/bin/git", args, env: ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                                                              "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"])
        #expect(result.status == 0, "git \(args): \(result.all)")
    }

    // MARK: status --cloud

    @Test("status --cloud before the first push: a directory remote not yet created holds nothing, every pushed out is only local, exit 0; --check exits 1")
    func statusBeforeFirstPush() throws {
        let remote = try helper.scratch().appendingPathComponent("not-yet")
        let repo = try helper.project(remote: remote)
        let status = try repo.pipe("status", "--cloud")
        #expect(status.status == 0)
        #expect(status.stdout == "\tonly local  d  (make, remote store)\n\tonly local  f.txt  (make, remote store)\n")
        #expect(status.stderr == "")
        #expect(try repo.pipe("status", "--cloud", "--check").status == 1)
        #expect(!FileManager.default.fileExists(atPath: remote.path))   // status creates nothing
    }

    @Test("status --cloud leaves push: false outs out, as dvc status -c does, so --check passes once the rest is pushed")
    func statusIgnoresPushFalse() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let status = try repo.pipe("status", "--cloud", "--check")
        #expect(status.status == 0)
        #expect(status.stdout == "Cache and remote 'store' are in sync.\n")
        let json = try repo.pipe("status", "--cloud", "--json")
        #expect(json.stdout == #"[{"stage":"make","path":"d","remote":"store","state":"in sync"},{"stage":"make","path":"f.txt","remote":"store","state":"in sync"}]"# + "\n")
        let onlyPushFalse = try repo.pipe("status", "--cloud", "local.txt")
        #expect(onlyPushFalse.status == 0)
        #expect(onlyPushFalse.stdout == "Cache and remote 'store' are in sync.\n")
    }

    @Test("status -r NAME without --cloud is the cloud status of that remote, as dvc status -r is")
    func statusRemoteImpliesCloud() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let status = try repo.pipe("status", "-r", "store")
        #expect(status.status == 0)
        #expect(status.stdout == "Cache and remote 'store' are in sync.\n")
        let unknown = try repo.pipe("status", "-r", "nope")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: no remote named 'nope'\n  fix: configured remotes: store\n")
    }

    @Test("status --cloud: only remote when .cache lost the objects, missing when neither side has them; out paths and paths inside a directory out are targets")
    func statusStatesAndPathTargets() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push", "f.txt").stdout == "1 object pushed (3 B), 0 already on the remote\n")
        let partial = try repo.pipe("status", "--cloud")
        #expect(partial.stdout == "\tonly local  d  (make, remote store)\n")
        try repo.remove(".cache")
        let status = try repo.pipe("status", "--cloud")
        #expect(status.status == 0)
        #expect(status.stdout == "\tmissing      d  (make, remote store)\n\tonly remote  f.txt  (make, remote store)\n")
        #expect(try repo.pipe("status", "--cloud", "./f.txt").stdout == "\tonly remote  f.txt  (make, remote store)\n")
        #expect(try repo.pipe("status", "--cloud", "d/sub/b").stdout == "\tmissing  d  (make, remote store)\n")
        let json = try repo.pipe("status", "-c", "make", "--json")
        #expect(json.stdout == #"[{"stage":"make","path":"d","remote":"store","state":"missing"},{"stage":"make","path":"f.txt","remote":"store","state":"only remote"}]"# + "\n")
        let unknown = try repo.pipe("status", "--cloud", "nosuch")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: no stage named 'nosuch' in pipeline.yaml\n"))
    }

    // MARK: push, fetch, pull

    @Test("push, fetch and pull take out paths as dvc does: only that out moves and is checked out")
    func transferPathTargets() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push", "f.txt").stdout == "1 object pushed (3 B), 0 already on the remote\n")
        #expect(helper.remoteFiles(remote).count == 1)
        #expect(try repo.pipe("push", "d/a").stdout == "3 objects pushed (106 B), 0 already on the remote\n")
        let fresh = try helper.clone(repo)
        let pull = try fresh.pipe("pull", "f.txt")
        #expect(pull.status == 0)
        #expect(pull.stdout == "restored f.txt\n1 object fetched (3 B), 0 already in the cache\n")
        #expect(pull.stderr == "")
        #expect(!fresh.exists("d"))
        let inside = try fresh.pipe("pull", "./d/sub/")
        #expect(inside.stdout == "restored d\n3 objects fetched (106 B), 0 already in the cache\n")
        #expect(fresh.read("d/sub/b") == "b\n")
        let none = try fresh.pipe("fetch", "nosuch")
        #expect(none.status == 2)
    }

    @Test("a second push, fetch or pull with nothing to move says Everything is up to date, exit 0")
    func everythingUpToDate() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let push = try repo.pipe("push")
        #expect(push.status == 0)
        #expect(push.stdout == "Everything is up to date (4 objects already on the remote).\n")
        let fresh = try helper.clone(repo)
        #expect(try fresh.pipe("pull", "make").status == 0)
        let again = try fresh.pipe("pull", "make")
        #expect(again.status == 0)
        #expect(again.stdout == "Everything is up to date (4 objects already in the cache).\n")
        #expect(again.stderr == "warning: local.txt: not in the cache or on the remote\n")
    }

    @Test("pull refuses to overwrite an out modified in the workspace whose content no cache holds (exit 1, nothing touched); --force overwrites it")
    func pullKeepsUnsavedChanges() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        try repo.remove("f.txt")
        try repo.write("f.txt", "my edit\n")
        try repo.remove("d/a")                     // deleting a file of a directory out loses nothing
        try repo.write("d/new.txt", "added\n")    // adding one would lose it
        let pull = try repo.pipe("pull")
        #expect(pull.status == 1)
        #expect(pull.stderr == """
            error: pull would overwrite outs modified in the workspace and not in the cache: d/new.txt, f.txt
              fix: keep the changes with `pipe commit`, or pass --force to discard them

            """)
        #expect(repo.read("f.txt") == "my edit\n")
        #expect(!repo.exists("d/a") && repo.exists("d/new.txt"))   // nothing restored: the pull stopped before the checkout
        try repo.remove("d/new.txt")
        let onlyDeleted = try repo.pipe("pull", "d")
        #expect(onlyDeleted.status == 0)
        #expect(onlyDeleted.stdout == "restored d\nEverything is up to date (3 objects already in the cache).\n")
        try repo.remove("d/a")
        let forced = try repo.pipe("pull", "--force")
        #expect(forced.status == 0)
        #expect(forced.stdout == "restored d\nrestored f.txt\nEverything is up to date (5 objects already in the cache).\n")   // local.txt is cached here
        #expect(repo.read("f.txt") == "hi\n" && repo.read("d/a") == "a\n")
    }

    @Test("pull replaces without asking an out whose workspace content is itself in the cache (nothing is lost)")
    func pullOverSavedContent() throws {
        let remote = try helper.scratch()
        let repo = try Repo()
        try repo.write("params.yaml", "v: 1\n")
        try repo.write("pipeline.yaml", "stages:\n  make:\n    cmd: echo ${v} > f.txt\n    params: [v]\n    outs: [f.txt]\n")
        #expect(try repo.pipe("remote", "add", "-d", "store", remote.path).status == 0)
        #expect(try repo.pipe("repro").status == 0)
        let v1Lock = repo.read("pipe.lock")!
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        try repo.write("pipe.lock", v1Lock)          // as after `git checkout` of the v1 lock: f.txt holds v2, cached
        let pull = try repo.pipe("pull")
        #expect(pull.status == 0)
        #expect(pull.stdout == "restored f.txt\nEverything is up to date (1 object already in the cache).\n")
        #expect(repo.read("f.txt") == "1\n")
    }

    @Test("fetch fills .cache without touching the workspace; checkout then restores the outs")
    func fetchThenCheckout() throws {
        let remote = try helper.scratch()
        let repo = try helper.project(remote: remote)
        #expect(try repo.pipe("push").status == 0)
        let fresh = try helper.clone(repo)
        let fetch = try fresh.pipe("fetch")
        #expect(fetch.status == 0)
        #expect(fetch.stdout == "4 objects fetched (109 B), 0 already in the cache\n")
        #expect(!fresh.exists("f.txt") && !fresh.exists("d"))
        let checkout = try fresh.pipe("checkout")
        #expect(checkout.stdout == "restored d\nrestored f.txt\n")
        #expect(checkout.status == 1)   // local.txt (push: false) is on no remote: checkout says it cannot restore it
        #expect(checkout.stderr == "cannot restore local.txt: not in the cache (run `pipe repro`)\n")
        #expect(fresh.read("f.txt") == "hi\n" && fresh.read("d/sub/b") == "b\n")
    }

    // MARK: pipe remote

    @Test("remote rename moves the remote, its local options and the default in both config files; an existing or unknown name exits 2")
    func remoteRename() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages: {}\n")
        #expect(try repo.pipe("remote", "add", "a", "/tmp/ra").status == 0)
        #expect(try repo.pipe("remote", "add", "-d", "b", "s3://bk/p").status == 0)
        #expect(try repo.pipe("remote", "modify", "--local", "b", "secret_access_key", "SK").status == 0)
        #expect(try repo.pipe("remote", "default", "--local", "b").status == 0)
        let rename = try repo.pipe("remote", "rename", "b", "c")
        #expect(rename.status == 0 && rename.all == "")
        #expect(repo.read(".pipe/config") == """
            # pipe project config (edit with `pipe remote ...`); secrets belong in .pipe/config.local
            remotes:
              a:
                url: /tmp/ra
              c:
                url: "s3://bk/p"
            default_remote: c

            """)
        #expect(repo.read(".pipe/config.local") == """
            # this machine's pipe config: overrides .pipe/config, may hold secrets, never committed
            remotes:
              c:
                secret_access_key: SK
            default_remote: c

            """)
        #expect(try repo.pipe("remote", "list").stdout == "a\t/tmp/ra\nc\ts3://bk/p\t(default)\tsecret_access_key=***\n")
        let taken = try repo.pipe("remote", "rename", "a", "c")
        #expect(taken.status == 2)
        #expect(taken.stderr == "error: cannot rename 'a': a remote named 'c' already exists\n  fix: choose another name, or remove it first: pipe remote remove c\n")
        let unknown = try repo.pipe("remote", "rename", "zz", "q")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.hasPrefix("error: no remote named 'zz' in .pipe/config\n"))
    }

    @Test("remote remove of the default clears default_remote in both files and the local options it leaves without a url")
    func remoteRemoveDefault() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages: {}\n")
        #expect(try repo.pipe("remote", "add", "a", "/tmp/ra").status == 0)
        #expect(try repo.pipe("remote", "add", "-d", "b", "s3://bk/p").status == 0)
        #expect(try repo.pipe("remote", "modify", "--local", "b", "secret_access_key", "SK").status == 0)
        #expect(try repo.pipe("remote", "default", "--local", "b").status == 0)
        #expect(try repo.pipe("remote", "remove", "b").status == 0)
        #expect(repo.read(".pipe/config") == """
            # pipe project config (edit with `pipe remote ...`); secrets belong in .pipe/config.local
            remotes:
              a:
                url: /tmp/ra

            """)
        #expect(try repo.pipe("remote", "list").stdout == "a\t/tmp/ra\n")
        let none = try repo.pipe("remote", "default")
        #expect(none.status == 1)
        #expect(none.stdout == "No default remote set\n")
        #expect(none.stderr == "")
    }

    @Test("remote add -d says it sets the default; remote default prints it; --unset removes it; a name not configured exits 2")
    func remoteDefault() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages: {}\n")
        #expect(try repo.pipe("remote", "add", "-d", "store", "/tmp/rs").stdout == "Setting 'store' as a default remote.\n")
        #expect(try repo.pipe("remote", "default").stdout == "store\n")
        #expect(try repo.pipe("remote", "list").stdout == "store\t/tmp/rs\t(default)\n")
        #expect(try repo.pipe("remote", "default", "--unset").status == 0)
        #expect(try repo.pipe("remote", "default").status == 1)
        #expect(try repo.pipe("remote", "list").stdout == "store\t/tmp/rs\n")
        let unknown = try repo.pipe("remote", "default", "nope")
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "error: no remote named 'nope'\n  fix: configured remotes: store\n")
    }

    @Test("remote add of an existing name exits 2 unless -f; modify --unset url exits 2 and leaves the config as it was")
    func remoteAddAndUnsetURL() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages: {}\n")
        #expect(try repo.pipe("remote", "add", "a", "/tmp/ra").status == 0)
        let again = try repo.pipe("remote", "add", "a", "/tmp/rb")
        #expect(again.status == 2)
        #expect(again.stderr == "error: remote 'a' already exists\n  fix: use -f to replace it, or `pipe remote modify a url /tmp/rb`\n")
        #expect(try repo.pipe("remote", "add", "-f", "a", "/tmp/rb").status == 0)
        let before = repo.read(".pipe/config")
        let unset = try repo.pipe("remote", "modify", "--unset", "a", "url")
        #expect(unset.status == 2)
        #expect(unset.stderr == "error: remotes.a.url: a remote cannot be left without its url\n  fix: set another: pipe remote modify a url URL, or remove the remote: pipe remote remove a\n")
        #expect(repo.read(".pipe/config") == before)
        #expect(try repo.pipe("remote", "list").stdout == "a\t/tmp/rb\n")
    }

    // MARK: gc --cloud

    /// A git repository whose stage ran at v 1 (committed, tagged `v1`) and v 2 (workspace), both pushed.
    func gcProject(remote: URL) throws -> Repo {
        let repo = try RemoteRunCacheAndGcTests().project(remote: remote)   // the one-stage pipeline at v: 1
        try git(repo, "init", "-q", "-b", "main")
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        try git(repo, "add", "-A")
        try git(repo, "commit", "-q", "-m", "v1")
        try git(repo, "tag", "v1")
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        #expect(helper.remoteFiles(remote).count == 6)
        return repo
    }

    @Test("push -T and -a also send the outs of every tag's and branch tip's lock, and status --cloud -T reports them, as dvc push/status -c -T/-a do")
    func pushRefs() throws {
        let repo = try gcProject(remote: try helper.scratch())
        let other = try helper.scratch()
        #expect(try repo.pipe("remote", "add", "other", other.path).status == 0)
        #expect(try repo.pipe("push", "-r", "other").stdout == "3 objects pushed (66 B), 0 already on the remote\n")
        let tags = try repo.pipe("push", "-r", "other", "-T")
        #expect(tags.status == 0)
        #expect(tags.stdout == "3 objects pushed (66 B), 3 already on the remote\n")
        #expect(try repo.pipe("fetch", "-r", "other", "--all-branches").stdout
                == "Everything is up to date (6 objects already in the cache).\n")
        #expect(helper.remoteFiles(other).count == 6)
        let third = try helper.scratch()
        #expect(try repo.pipe("remote", "add", "third", third.path).status == 0)
        #expect(try repo.pipe("push", "-r", "third").status == 0)
        #expect(try repo.pipe("status", "-r", "third", "--check").status == 0)
        let history = try repo.pipe("status", "-r", "third", "-T", "--check")
        #expect(history.status == 1)
        #expect(history.stdout == "\tonly local  out  (build, remote third)\n\tonly local  single.txt  (build, remote third)\n")
        #expect(try repo.pipe("status", "--all-commits").status == 2)   // like dvc: meaningless for the local status
    }

    @Test("gc --cloud without a scope flag keeps the workspace, as -w, and asks nothing from a script; an unknown -r exits 2 before .cache is collected")
    func gcCloudDefaultScope() throws {
        let remote = try helper.scratch()
        let repo = try gcProject(remote: remote)
        let objects = try FileManager.default.subpathsOfDirectory(atPath: repo.root.path + "/.cache/objects").count
        let unknown = try pipe(repo, input: "", "gc", "--cloud", "-w", "-f", "-r", "nope")
        #expect(unknown.status == 2)
        #expect(unknown.stdout == "")   // nothing collected, not even .cache
        #expect(unknown.stderr == "error: no remote named 'nope'\n  fix: configured remotes: store\n")
        #expect(try FileManager.default.subpathsOfDirectory(atPath: repo.root.path + "/.cache/objects").count == objects)

        let dry = try pipe(repo, input: "", "gc", "--cloud", "--dry")
        #expect(dry.status == 0)
        #expect(dry.stdout.hasSuffix("would remove 3 objects (66 B) from remote 'store', kept 3\n"))
        #expect(helper.remoteFiles(remote).count == 6)
        let gc = try pipe(repo, input: "", "gc", "--cloud")
        #expect(gc.status == 0, "\(gc.all)")
        #expect(gc.stderr == "")
        let lines = gc.stdout.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("removed objects/") }.count == 3)
        #expect(lines.last == "removed 3 objects (66 B) from remote 'store', kept 3")
        #expect(helper.remoteFiles(remote).count == 3)
        #expect(try repo.pipe("status", "--cloud", "--check").status == 0)
    }

    /// `pipe ARGS` on a pseudo-terminal (util-linux `script`), `input` typed into it; its stdout and stderr both
    /// arrive in `stdout`, with the terminal's line ends.
    func pipeOnTerminal(_ repo: Repo, input: String, _ args: String...) throws -> Repo.Result {
        let command = ([Repo.pipeExecutable.path] + args).map { "'\($0)'" }.joined(separator: " ")
        var result = try repo.run("/usr/bin/script", ["-qec", command, "/dev/null"], input: input)
        result.stdout = result.stdout.replacingOccurrences(of: "\r\n", with: "\n")
        return result
    }

    @Test("gc --cloud on a terminal asks first: anything but y removes nothing, exit 1; y removes what the workspace does not use from .cache and the remote")
    func gcCloudAsks() throws {
        let remote = try helper.scratch()
        let repo = try gcProject(remote: remote)
        let objects = try FileManager.default.subpathsOfDirectory(atPath: repo.root.path + "/.cache/objects").count
        let declined = try pipeOnTerminal(repo, input: "n\n", "gc", "--cloud", "-w")
        #expect(declined.status == 1)
        // The terminal echoes the typed answer wherever it lands, so the lines are matched, not the whole text.
        #expect(declined.stdout.contains("warning: this removes every object of .cache and of the remote except those used by the workspace and its experiments\n"))
        #expect(declined.stdout.contains("Are you sure you want to proceed? [y/n]: "))
        #expect(declined.stdout.contains("error: gc --cloud not confirmed: nothing was removed\n  fix: answer y, or pass -f/--force to skip the question\n"))
        #expect(helper.remoteFiles(remote).count == 6)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: repo.root.path + "/.cache/objects").count == objects)

        let confirmed = try pipe(repo, input: "y\n", "gc", "--cloud", "-w", "--drop-run-cache")
        #expect(confirmed.status == 2)   // --drop-run-cache is for the local gc only
        let gc = try pipeOnTerminal(repo, input: "y\n", "gc", "--cloud", "-w")
        #expect(gc.status == 0, "\(gc.stdout)")
        #expect(gc.stdout.hasSuffix("removed 3 objects (66 B) from remote 'store', kept 3\n"))
        #expect(helper.remoteFiles(remote).count == 3)
        #expect(try repo.pipe("status", "--cloud", "--check").status == 0)
    }

    @Test("gc --cloud also collects every remote an out names with remote:, as dvc gc -c does, each reported by name")
    func gcCloudPerOutRemotes() throws {
        let main = try helper.scratch(), models = try helper.scratch()
        let repo = try Repo()
        try repo.write("params.yaml", "v: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          make:
            cmd: echo data${v} > data.txt && echo weights${v} > model.bin
            params: [v]
            outs:
              - data.txt
              - model.bin:
                  remote: models

        """)
        #expect(try repo.pipe("remote", "add", "-d", "main", main.path).status == 0)
        #expect(try repo.pipe("remote", "add", "models", models.path).status == 0)
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        try repo.write("params.yaml", "v: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(try repo.pipe("push").status == 0)
        #expect(helper.remoteFiles(main).count == 2 && helper.remoteFiles(models).count == 2)
        let gc = try repo.pipe("gc", "--cloud", "-w", "-f")
        #expect(gc.status == 0, "\(gc.all)")
        let summaries = gc.stdout.split(separator: "\n").filter { $0.contains("from remote '") }
        #expect(summaries == ["removed 1 object (6 B) from remote 'main', kept 1",
                              "removed 1 object (9 B) from remote 'models', kept 1"])
        #expect(helper.remoteFiles(main).count == 1 && helper.remoteFiles(models).count == 1)
        #expect(try repo.pipe("status", "--cloud", "--check").stdout == "Cache and remotes 'main', 'models' are in sync.\n")
    }

    @Test("gc --cloud -f asks nothing; --dry asks nothing and removes nothing")
    func gcCloudForceAndDry() throws {
        let remote = try helper.scratch()
        let repo = try gcProject(remote: remote)
        let dry = try pipe(repo, input: "", "gc", "--cloud", "-w", "--dry")
        #expect(dry.status == 0)
        #expect(!dry.stderr.contains("Are you sure"))
        #expect(dry.stdout.hasSuffix("would remove 3 objects (66 B) from remote 'store', kept 3\n"))
        #expect(helper.remoteFiles(remote).count == 6)
        let forced = try pipe(repo, input: "", "gc", "--cloud", "-w", "-f")
        #expect(forced.status == 0)
        #expect(forced.stderr == "")
        #expect(helper.remoteFiles(remote).count == 3)
    }

    @Test("gc --cloud -T keeps what every tag's lock names, -a what every branch tip's does, --all-commits the whole history")
    func gcCloudRefs() throws {
        let remote = try helper.scratch()
        let repo = try gcProject(remote: remote)
        let tags = try repo.pipe("gc", "--cloud", "-T", "--dry")
        #expect(tags.status == 0)
        #expect(tags.stdout.hasSuffix("would remove 0 objects (0 B) from remote 'store', kept 6\n"))
        let branches = try repo.pipe("gc", "--cloud", "-a", "--dry")
        #expect(branches.stdout.hasSuffix("would remove 0 objects (0 B) from remote 'store', kept 6\n"))
        let commits = try repo.pipe("gc", "--cloud", "--all-commits", "-f")
        #expect(commits.stdout.hasSuffix("removed 0 objects (0 B) from remote 'store', kept 6\n"))
        try git(repo, "tag", "-d", "v1")
        try git(repo, "checkout", "-q", "-b", "v2")
        try git(repo, "commit", "-q", "-am", "v2")
        try git(repo, "branch", "-D", "main")     // v1 survives in no branch and no tag (only unreachable history)
        let gc = try repo.pipe("gc", "--cloud", "-a", "-T", "-f")
        #expect(gc.stdout.hasSuffix("removed 3 objects (66 B) from remote 'store', kept 3\n"))
    }
}
