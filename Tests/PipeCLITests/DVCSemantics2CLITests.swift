import Foundation
import Testing

/// The second DVC-semantics audit, pinned end to end: params, templating, stage keys, repro flags, commit,
/// checkout and dag behave as DVC 3.67.1's do where a DVC user relies on it.
@Suite struct DVCSemantics2CLITests {
    func lines(_ repo: Repo, _ path: String) -> [String] {
        (repo.read(path) ?? "").split(separator: "\n").map(String.init)
    }

    /// The contents of every object file in `.cache/objects`, sorted.
    func cachedContents(_ repo: Repo) -> [String] {
        let objects = repo.root.appendingPathComponent(".cache/objects")
        guard let walker = FileManager.default.enumerator(at: objects, includingPropertiesForKeys: nil) else { return [] }
        var contents: [String] = []
        for case let url as URL in walker where !url.hasDirectoryPath {
            if let data = FileManager.default.contents(atPath: url.path) { contents.append(String(decoding: data, as: UTF8.self)) }
        }
        return contents.sorted()
    }

    /// prepare → {left, right} → join, each logging its runs to runs.log.
    func diamond() throws -> Repo {
        let repo = try Repo()
        try repo.write("raw.txt", "raw\n")
        try repo.write("pipeline.yaml", """
        stages:
          prepare:
            cmd: cat raw.txt > prep.txt && echo prepare >> runs.log
            deps: [raw.txt]
            outs: [prep.txt]
          left:
            cmd: cat prep.txt > left.txt && echo left >> runs.log
            deps: [prep.txt]
            outs: [left.txt]
          right:
            cmd: cat prep.txt > right.txt && echo right >> runs.log
            deps: [prep.txt]
            outs: [right.txt]
          join:
            cmd: cat left.txt right.txt > join.txt && echo join >> runs.log
            deps: [left.txt, right.txt]
            outs: [join.txt]
          lone:
            cmd: echo lone > lone.txt && echo lone >> runs.log
            outs: [lone.txt]

        """)
        return repo
    }

    // MARK: params

    @Test("a dict-valued param invalidates on a change of any key below it, naming the leaf; an undeclared key never does")
    func dictParamsAndUndeclaredKeys() throws {
        let repo = try Repo()
        try repo.write("params.yaml", "train:\n  lr: 0.1\n  layers: [1, 2]\n  opt:\n    name: adam\n    beta: 0.9\nunused: 5\n")
        try repo.write("custom.yaml", "a:\n  b: 1\n  c: 2\n")
        try repo.write("whole.yaml", "x: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          s1:
            cmd: echo s1 > o1
            params: [train.layers]
            outs: [o1]
          s2:
            cmd: echo s2 > o2
            params: [train.opt]
            outs: [o2]
          s3:
            cmd: echo s3 > o3
            params:
              - custom.yaml: [a.b]
            outs: [o3]
          s4:
            cmd: echo s4 > o4
            params:
              - whole.yaml:
            outs: [o4]

        """)
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        // undeclared keys: `unused`, `train.lr`, `a.c`; key order inside a dict param is no change either
        try repo.write("params.yaml", "unused: 6\ntrain:\n  lr: 0.2\n  layers: [1, 2]\n  opt:\n    beta: 0.9\n    name: adam\n")
        try repo.write("custom.yaml", "a:\n  b: 1\n  c: 3\n")
        let clean = try repo.pipe("status")
        #expect(clean.status == 0)
        #expect(clean.stdout == "Pipeline is up to date.\n")

        try repo.write("params.yaml", "train:\n  layers: [1, 2, 3]\n  opt:\n    beta: 0.95\n")
        try repo.write("whole.yaml", "x: 2\nz: 3\n")
        let status = try repo.pipe("status")
        #expect(status.status == 0)
        #expect(status.stdout == """
        s1: stale
            param train.layers [1, 2] → [1, 2, 3]
        s2: stale
            param train.opt.beta 0.9 → 0.95
            param train.opt.name removed (was adam)
        s4: stale
            param whole.yaml:x 1 → 2
            param whole.yaml:z added (3)
        up to date: s3

        """)
    }

    @Test("a declared param missing from its file is exit 2 naming the file, the key and the closest key")
    func missingParamKey() throws {
        let repo = try Repo()
        try repo.write("custom.yaml", "a:\n  b: 1\n")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: echo s > o\n    params:\n      - custom.yaml: [a.zz]\n    outs: [o]\n")
        for command in [["status"], ["repro"]] {
            let r = try repo.run(Repo.pipeExecutable.path, command)
            #expect(r.status == 2)
            #expect(r.stdout == "")
            #expect(r.stderr == """
            pipeline.yaml:5:23: error: stages.s.params[0]: stage 's' declares param 'a.zz', which is not in custom.yaml
              fix: did you mean 'a.b'? add 'a.zz' to custom.yaml, or correct the key in the stage's params

            """)
        }
        #expect(!repo.exists("o"))
    }

    // MARK: templating

    @Test("vars files and inline vars, nested keys, foreach over lists and dicts, matrix and dict unpacking resolve as in DVC")
    func templating() throws {
        let repo = try Repo()
        try repo.write("params.yaml", """
        train:
          flags: {foo: foo, bar: 1, bool: true, off: false, nested: {baz: bar}, list: [2, 3, qux], str: two words}
          list: [a, b]
        models:
          uk: {size: 1}
          us: {size: 2}

        """)
        try repo.write("extra.yaml", "seed: 42\nex: {k: v}\nskipped: 1\n")
        try repo.write("pipeline.yaml", """
        vars:
          - extra.yaml:seed,ex
          - inline: {x: 1}
            name: hello
        stages:
          unpack:
            cmd: echo ${train.flags} > unpack.txt
            outs: [unpack.txt]
          nested:
            cmd: echo ${train.list[0]} ${train.list.1} ${seed} ${ex.k} ${inline.x} ${name} > nested.txt
            outs: [nested.txt]
          fe:
            foreach: ${models}
            do:
              cmd: echo ${key} ${item.size} > fe-${key}.txt
              outs: ["fe-${key}.txt"]
          fl:
            foreach: [a, b]
            do:
              cmd: echo ${item} > fl-${item}.txt
              outs: ["fl-${item}.txt"]
          mx:
            matrix:
              m: [cnn, xgb]
              n: [1, 2]
            cmd: echo ${item.m} ${item.n} ${key} > mx-${key}.txt
            outs: ["mx-${key}.txt"]

        """)
        let r = try repo.pipe("repro", "-j", "1")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("unpack.txt") == "--foo foo --bar 1 --bool --nested.baz bar --list 2 3 qux --str two words\n")
        #expect(repo.read("nested.txt") == "a b 42 v 1 hello\n")
        #expect(repo.read("fe-uk.txt") == "uk 1\n" && repo.read("fe-us.txt") == "us 2\n")
        #expect(repo.read("fl-a.txt") == "a\n" && repo.read("fl-b.txt") == "b\n")
        #expect(repo.read("mx-cnn-1.txt") == "cnn 1 cnn-1\n" && repo.read("mx-xgb-2.txt") == "xgb 2 xgb-2\n")
        #expect(repo.read("pipe.lock")?.contains(
            "cmd: \"echo --foo foo --bar 1 --bool --nested.baz bar --list 2 3 qux --str 'two words' > unpack.txt\"") == true)
    }

    @Test("scalars splice into text as DVC splices them: None, inf, Python's float spellings, shell-quoted dict values")
    func scalarSpelling() throws {
        let repo = try Repo()
        try repo.write("params.yaml", """
        a: null
        h: .inf
        f: [1.0e-5, 1.0e16, 1.0e15, 3.0, 0.1, 2.50]
        d: {x: null, y: 1.0e-5, z: .inf, w: "it's", v: ''}

        """)
        try repo.write("pipeline.yaml", """
        stages:
          fmt:
            cmd: echo ${a} ${h} ${f[0]} ${f[1]} ${f[2]} ${f[3]} ${f[4]} ${f[5]} ${d} > fmt.txt
            outs: [fmt.txt]

        """)
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("pipe.lock")?.contains(#"""
            cmd: "echo None inf 1e-05 1e+16 1000000000000000.0 3.0 0.1 2.5 --x None --y 1e-05 --z inf --w 'it'\"'\"'s' --v '' > fmt.txt"
        """#) == true, "\(repo.read("pipe.lock") ?? "")")
        #expect(repo.read("fmt.txt") == "None inf 1e-05 1e+16 1000000000000000.0 3.0 0.1 2.5 --x None --y 1e-05 --z inf --w it's --v \n")
    }

    @Test("an undefined variable is exit 2 naming the position, the key path and the closest name")
    func undefinedVariable() throws {
        let repo = try Repo()
        try repo.write("params.yaml", "train:\n  lr: 0.1\n")
        try repo.write("pipeline.yaml", "stages:\n  a:\n    cmd: echo ${train.lrr} > a.txt\n    outs: [a.txt]\n")
        let r = try repo.pipe("repro")
        #expect(r.status == 2)
        #expect(r.stderr == """
        pipeline.yaml:3:15: error: stages.a.cmd: cannot resolve '${train.lrr}': 'lrr' is not defined in 'train'
          fix: did you mean 'lr'? define it in params.yaml or in vars, or correct the name

        """)
        try repo.write("pipeline.yaml", "stages:\n  a:\n    cmd: echo hi\n    deps:\n      - x${train}\n")
        let dict = try repo.pipe("status")
        #expect(dict.status == 2)
        #expect(dict.stderr == """
        pipeline.yaml:5:10: error: stages.a.deps[0]: cannot put a mapping ('${train}') inside the text 'x${train}'
          fix: reference a scalar value, or make the whole value '${train}' to use a mapping as is

        """)
    }

    // MARK: stage keys

    @Test("a persisted output is updated in place by its stage while the cached object of the previous run stays intact")
    func persistedOutputKeepsTheCacheIntact() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          pers:
            cmd: echo more >> pers.txt
            outs:
              - pers.txt:
                  persist: true

        """)
        #expect(try repo.pipe("repro").status == 0)
        let again = try repo.pipe("repro", "-f")
        #expect(again.status == 0, "\(again.all)")
        #expect(repo.read("pers.txt") == "more\nmore\n")
        #expect(cachedContents(repo) == ["more\n", "more\nmore\n"])
        let status = try repo.pipe("status")
        #expect(status.stdout == "Pipeline is up to date.\n")
    }

    @Test("a missing output of a stage with a persisted output, or without deps, is rerun, not restored (DVC's run-cache rule)")
    func persistedAndDeplessStagesRerun() throws {
        let repo = try Repo()
        try repo.write("in.txt", "a\n")
        try repo.write("pipeline.yaml", """
        stages:
          nodeps:
            cmd: echo nodeps >> runs.log && echo t > t.txt
            outs: [t.txt]
          pers:
            cmd: echo pers >> runs.log && echo x >> p.txt
            deps: [in.txt]
            outs:
              - p.txt:
                  persist: true
          plain:
            cmd: echo plain >> runs.log && cat in.txt > q.txt
            deps: [in.txt]
            outs: [q.txt]

        """)
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        for path in ["t.txt", "p.txt", "q.txt"] { try repo.remove(path) }
        let r = try repo.pipe("repro", "-j", "1")
        #expect(r.status == 0, "\(r.all)")
        #expect(timingsHidden(r.stdout) == """
        Running 'nodeps' because:
            out t.txt missing
        'nodeps' done in N.NNs (outputs unchanged)
        Running 'pers' because:
            out p.txt missing
        'pers' done in N.NNs (outputs unchanged)
        'plain': restored q.txt from the cache

        """)
        #expect(lines(repo, "runs.log") == ["nodeps", "pers", "plain", "nodeps", "pers"])
    }

    /// `text` with every `done in 0.01s` timing written `N.NNs` (timings vary; the rest of the text is pinned).
    func timingsHidden(_ text: String) -> String {
        text.replacingOccurrences(of: #"done in \d+\.\d\ds"#, with: "done in N.NNs", options: .regularExpression)
    }

    @Test("an output modified in place is restored by checkout with its locked content")
    func modifiedOutputIsRestorable() throws {
        let repo = try diamond()
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        try repo.write("join.txt", "changed\n")      // an in-place write, as root would do to a hard link
        let status = try repo.pipe("status")
        #expect(status.stdout == "join: stale (restorable from cache)\n    out join.txt modified\nup to date: prepare, left, right, lone\n")
        let refused = try repo.pipe("checkout")
        #expect(refused.status == 1)
        #expect(refused.stdout == "")
        #expect(refused.stderr == """
        error: checkout would overwrite outputs modified since pipe.lock, whose content is not in the cache: join.txt
          fix: `pipe commit -f` to keep the changes, or `pipe checkout --force` to discard them

        """)
        #expect(repo.read("join.txt") == "changed\n")
        let forced = try repo.pipe("checkout", "--force")
        #expect(forced.status == 0, "\(forced.all)")
        #expect(forced.stdout == "restored join.txt\n")
        #expect(repo.read("join.txt") == "raw\nraw\n")
        // a missing output needs no --force
        try repo.remove("left.txt")
        let missing = try repo.pipe("checkout")
        #expect(missing.status == 0 && missing.stdout == "restored left.txt\n")
    }

    // MARK: repro flags

    @Test("repro -k runs the branches that do not depend on a failed stage; the failed stage keeps its lock entry")
    func keepGoing() throws {
        let repo = try diamond()
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        let before = repo.read("pipe.lock")!
        try repo.write("runs.log", "")
        let edited = repo.read("pipeline.yaml")!.replacingOccurrences(of: "cat prep.txt > left.txt", with: "false")
        try repo.write("pipeline.yaml", edited)
        try repo.write("raw.txt", "raw2\n")
        let r = try repo.pipe("repro", "-k", "-j", "1")
        #expect(r.status == 1)
        #expect(lines(repo, "runs.log") == ["prepare", "right"])
        #expect(r.stderr.contains("error: stage 'left' failed: `/bin/sh -c false && echo left >> runs.log` exited with status 1"))
        let lock = repo.read("pipe.lock")!
        func entry(_ text: String, _ name: String) -> String {
            let start = text.range(of: "  \(name):\n")!
            let rest = text[start.upperBound...]
            let end = rest.range(of: #"\n  [a-z]+:\n"#, options: .regularExpression)?.lowerBound ?? rest.endIndex
            return String(rest[..<end])
        }
        #expect(entry(lock, "left") == entry(before, "left"))
        #expect(entry(lock, "join") == entry(before, "join"))
        #expect(entry(lock, "right") != entry(before, "right"))
    }

    @Test("repro -p runs the whole pipeline its target belongs to, -P every stage; -s wins over both and over --downstream")
    func wholePipelines() throws {
        let repo = try diamond()
        let p = try repo.pipe("repro", "-p", "left", "-j", "1")
        #expect(p.status == 0, "\(p.all)")
        #expect(lines(repo, "runs.log") == ["prepare", "left", "right", "join"])
        try repo.write("runs.log", "")
        let all = try repo.pipe("repro", "-P", "-f", "left", "-j", "1")
        #expect(all.status == 0, "\(all.all)")
        #expect(lines(repo, "runs.log") == ["prepare", "left", "right", "join", "lone"])
        // as in DVC: -s wins over -p (the named stage alone), and -s without targets means every stage
        try repo.write("runs.log", "")
        #expect(try repo.pipe("repro", "-p", "-s", "-f", "left").status == 0)
        #expect(lines(repo, "runs.log") == ["left"])
        try repo.write("runs.log", "")
        #expect(try repo.pipe("repro", "-s", "-f", "-j", "1").status == 0)
        #expect(lines(repo, "runs.log") == ["prepare", "left", "right", "join", "lone"])
        try repo.write("runs.log", "")
        #expect(try repo.pipe("repro", "-s", "--downstream", "-f", "left").status == 0)
        #expect(lines(repo, "runs.log") == ["left"])
    }

    @Test("a missing input fails only a repro that would run its stage (exit 2, before anything runs); status reports it")
    func missingInput() throws {
        let repo = try Repo()
        try repo.write("foo", "x\n")
        try repo.write("pipeline.yaml", """
        stages:
          a:
            cmd: cat foo > a.txt
            deps: [foo]
            outs: [a.txt]
          b:
            cmd: echo b > b.txt
            outs: [b.txt]

        """)
        #expect(try repo.pipe("repro", "a").status == 0)
        try repo.remove("foo")
        let status = try repo.pipe("status")
        #expect(status.status == 0)
        #expect(status.stdout == "a: stale\n    dep foo missing\nb: stale\n    never run\n")
        let b = try repo.pipe("repro", "b")
        #expect(b.status == 0, "\(b.all)")
        #expect(repo.read("b.txt") == "b\n")
        try repo.remove("b.txt")
        let all = try repo.pipe("repro")
        #expect(all.status == 2)
        #expect(all.stdout == "")
        #expect(all.stderr == """
        pipeline.yaml:4:12: error: stages.a.deps: stage 'a' depends on 'foo', which does not exist and is not produced by any stage
          fix: create the file, add a stage that outputs it, or correct the path (paths are relative to the stage's wdir)

        """)
        #expect(!repo.exists("b.txt"))
    }

    @Test("--force-downstream reruns every stage below one that ran, even when early cutoff would stop the wave")
    func forceDownstream() throws {
        let repo = try Repo()
        try repo.write("raw.txt", "a\nb\n")
        try repo.write("pipeline.yaml", """
        stages:
          prepare:
            cmd: head -1 raw.txt > prep.txt && echo prepare >> runs.log
            deps: [raw.txt]
            outs: [prep.txt]
          left:
            cmd: cat prep.txt > left.txt && echo left >> runs.log
            deps: [prep.txt]
            outs: [left.txt]
          join:
            cmd: cat left.txt > join.txt && echo join >> runs.log
            deps: [left.txt]
            outs: [join.txt]

        """)
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        try repo.write("runs.log", "")
        try repo.write("raw.txt", "a\nc\n")
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        #expect(lines(repo, "runs.log") == ["prepare"])          // prep.txt came out the same: cut off
        try repo.write("runs.log", "")
        try repo.write("raw.txt", "a\nd\n")
        let forced = try repo.pipe("repro", "-j", "1", "--force-downstream")
        #expect(forced.status == 0, "\(forced.all)")
        #expect(lines(repo, "runs.log") == ["prepare", "left", "join"])
        #expect(timingsHidden(forced.stdout) == """
        Running 'prepare' because:
            dep raw.txt changed
        'prepare' done in N.NNs (outputs unchanged)
        Running 'left' because:
            forced
        'left' done in N.NNs (outputs unchanged)
        Running 'join' because:
            forced
        'join' done in N.NNs (outputs unchanged)

        """)
    }

    @Test("repro --dry prints the plan and writes nothing; an unchanged second repro says so and exits 0")
    func dryAndUnchanged() throws {
        let repo = try diamond()
        let dry = try repo.pipe("repro", "--dry", "join")
        #expect(dry.status == 0)
        #expect(dry.stdout == """
        would run 'prepare' because:
            never run
        would run 'left' because:
            never run
            upstream prepare stale
        would run 'right' because:
            never run
            upstream prepare stale
        would run 'join' because:
            never run
            upstream left stale
            upstream right stale

        """)
        #expect(!repo.exists("pipe.lock") && !repo.exists("runs.log") && !repo.exists("prep.txt") && !repo.exists(".gitignore"))
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        let again = try repo.pipe("repro")
        #expect(again.status == 0)
        #expect(again.stdout == """
        'prepare' is up to date
        'left' is up to date
        'right' is up to date
        'join' is up to date
        'lone' is up to date
        Pipeline is up to date. Nothing to reproduce.

        """)
    }

    @Test("repro --no-commit locks the run but caches nothing; commit then stores the outputs without --force")
    func noCommit() throws {
        let repo = try diamond()
        let r = try repo.pipe("repro", "--no-commit", "prepare")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("pipe.lock")?.contains("  prepare:\n") == true)
        #expect(cachedContents(repo) == [])
        #expect(try repo.pipe("status", "prepare").stdout == "Pipeline is up to date.\n")
        let commit = try repo.pipe("commit", "prepare")
        #expect(commit.status == 0, "\(commit.all)")
        #expect(cachedContents(repo) == ["raw\n"])
        try repo.remove("prep.txt")
        #expect(try repo.pipe("checkout", "prepare").stdout == "restored prep.txt\n")
    }

    // MARK: commit

    @Test("commit refuses a stage that changed since the lock unless forced, and writes nothing")
    func commitNeedsForceForChangedStages() throws {
        let repo = try diamond()
        #expect(try repo.pipe("repro", "-j", "1").status == 0)
        let before = repo.read("pipe.lock")
        try repo.write("right.txt", "mine\n")
        let refused = try repo.pipe("commit")
        #expect(refused.status == 1)
        #expect(refused.stderr == """
        error: cannot commit changed stages without --force: 'right' (out right.txt modified), 'join' (dep right.txt changed)
          fix: `pipe commit -f` records the current state as is; `pipe repro` runs them instead

        """)
        #expect(repo.read("pipe.lock") == before)
        let one = try repo.pipe("commit", "left")
        #expect(one.status == 0 && one.stdout == "")
        let forced = try repo.pipe("commit", "-f")
        #expect(forced.status == 0, "\(forced.all)")
        #expect(forced.stdout == "committed 'right'\ncommitted 'join'\n")
        #expect(try repo.pipe("status").stdout == "Pipeline is up to date.\n")
        #expect(cachedContents(repo).contains("mine\n"))
    }

    // MARK: dag

    @Test("dag --full draws the whole pipeline of a target, -o its outputs")
    func dagFullAndOuts() throws {
        let repo = try diamond()
        let upstream = try repo.pipe("dag", "--dot", "--no-status", "left")
        #expect(upstream.stdout == "strict digraph {\n\t\"prepare\";\n\t\"left\";\n\t\"prepare\" -> \"left\";\n}\n")
        let full = try repo.pipe("dag", "--dot", "--no-status", "--full", "left")
        #expect(full.status == 0)
        #expect(full.stdout == """
        strict digraph {
        \t"prepare";
        \t"left";
        \t"right";
        \t"join";
        \t"prepare" -> "left";
        \t"prepare" -> "right";
        \t"left" -> "join";
        \t"right" -> "join";
        }

        """)
        let outs = try repo.pipe("dag", "--mermaid", "--no-status", "-o", "--full", "right")
        #expect(outs.stdout == """
        flowchart TD
        \tnode1["prep.txt"]
        \tnode2["left.txt"]
        \tnode3["right.txt"]
        \tnode4["join.txt"]
        \tnode1-->node2
        \tnode1-->node3
        \tnode2-->node4
        \tnode3-->node4

        """)
    }
}
