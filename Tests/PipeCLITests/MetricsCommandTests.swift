import Foundation
import Testing

/// `pipe metrics show` and `pipe metrics diff` end to end.
@Suite struct MetricsCommandTests {
    /// A stage copying `src/metrics.json` (and a YAML one) to declared metrics outputs (cached, git-ignored).
    func repoWithMetrics(_ json: String = #"{"acc": 0.9, "loss": {"train": 0.25, "val": 0.3}, "n": 100}"#) throws -> Repo {
        let repo = try Repo()
        try repo.write("src/metrics.json", json)
        try repo.write("src/extra.yaml", "f1: 0.7\n")
        try repo.write("pipeline.yaml", """
            stages:
              evaluate:
                cmd: mkdir -p eval && cp src/metrics.json eval/metrics.json && cp src/extra.yaml eval/extra.yaml
                deps: [src]
                metrics: [eval/metrics.json, eval/extra.yaml]

            """)
        return repo
    }

    @Test("show prints one row per metrics file with flattened keys as columns, as text, Markdown and JSON")
    func show() throws {
        let repo = try repoWithMetrics()
        #expect(try repo.pipe("repro").status == 0)
        let text = try repo.pipe("metrics", "show")
        #expect(text.status == 0)
        #expect(text.stdout == """
            Path               f1   acc  loss.train  loss.val  n
            eval/extra.yaml    0.7  -    -           -         -
            eval/metrics.json  -    0.9  0.25        0.3       100

            """)
        let md = try repo.pipe("metrics", "show", "--md", "eval/metrics.json")
        #expect(md.stdout == "| Path | acc | loss.train | loss.val | n |\n|---|---|---|---|---|\n| eval/metrics.json | 0.9 | 0.25 | 0.3 | 100 |\n")
        let json = try repo.pipe("metrics", "show", "--json")
        #expect(json.stdout == #"{"schema":1,"metrics":{"eval/extra.yaml":{"f1":0.7},"eval/metrics.json":{"acc":0.9,"loss":{"train":0.25,"val":0.3},"n":100}},"missing":[]}"# + "\n")
    }

    @Test("NaN, Infinity and -Infinity as Python's json.dump writes them read as numbers (DVC reads them too); --json writes null for them")
    func nonFiniteValues() throws {
        let repo = try repoWithMetrics(#"{"loss": NaN, "best": Infinity, "worst": -Infinity, "acc": 0.5}"#)
        #expect(try repo.pipe("repro").status == 0)
        let text = try repo.pipe("metrics", "show", "eval/metrics.json")
        #expect(text.status == 0, "\(text.all)")
        #expect(text.stdout == "Path               loss  best  worst  acc\neval/metrics.json  nan   inf   -inf   0.5\n")
        let json = try repo.pipe("metrics", "show", "--json", "eval/metrics.json")
        #expect(json.stdout == #"{"schema":1,"metrics":{"eval/metrics.json":{"loss":null,"best":null,"worst":null,"acc":0.5}},"missing":[]}"# + "\n")
        // A params file stays strict JSON: NaN there is a syntax error naming its position.
        try repo.write("params.json", #"{"lr": NaN}"#)
        try repo.write("pipeline.yaml", "stages:\n  train:\n    cmd: echo\n    params:\n      - params.json: [lr]\n")
        let status = try repo.pipe("status")
        #expect(status.status == 2 && status.stderr.contains("params.json:1:8"), "\(status.all)")
    }

    @Test("A malformed metrics file exits 2 naming the file, and prints no table")
    func malformed() throws {
        let repo = try repoWithMetrics(#"{"acc": 0.9,"#)
        #expect(try repo.pipe("repro").status == 0)
        let lockBefore = repo.read("pipe.lock")
        let show = try repo.pipe("metrics", "show")
        #expect(show.status == 2)
        #expect(show.stdout.isEmpty)
        #expect(show.stderr.contains("eval/metrics.json"))
        #expect(show.stderr.contains("is not valid JSON"))
        #expect(repo.read("pipe.lock") == lockBefore)
    }

    @Test("A missing metrics file is reported on stderr and the others still show")
    func missing() throws {
        let repo = try repoWithMetrics()
        #expect(try repo.pipe("repro").status == 0)
        try repo.remove("eval/extra.yaml")
        let show = try repo.pipe("metrics", "show")
        #expect(show.status == 0)
        #expect(show.stderr.contains("eval/extra.yaml does not exist"))
        #expect(show.stdout.hasPrefix("Path               acc"))
        let json = try repo.pipe("metrics", "show", "--json")
        #expect(json.stdout.hasSuffix(#""missing":["eval/extra.yaml"]}"# + "\n"))
    }

    @Test("diff compares HEAD (read from the cache by its locked hash) with the workspace, with the change")
    func diffAgainstHead() throws {
        let repo = try repoWithMetrics()
        #expect(try repo.pipe("repro").status == 0)
        try repo.commitAll("baseline")
        #expect(repo.read("eval/.gitignore")?.contains("/metrics.json") == true)
        #expect(try repo.git("ls-files", "eval").stdout == "eval/.gitignore\n")   // the metrics live only in .cache
        try repo.write("src/metrics.json", #"{"acc": 0.95, "loss": {"train": 0.25, "val": 0.2}, "n": 100}"#)
        #expect(try repo.pipe("repro").status == 0)
        let diff = try repo.pipe("metrics", "diff")
        #expect(diff.status == 0, "\(diff.all)")
        #expect(diff.stdout == """
            Path               Metric    HEAD  workspace  Change
            eval/metrics.json  acc       0.9   0.95       0.05
            eval/metrics.json  loss.val  0.3   0.2        -0.1

            """)
        let all = try repo.pipe("metrics", "diff", "--all", "--md")
        #expect(all.stdout.contains("| eval/extra.yaml | f1 | 0.7 | 0.7 | 0 |"))
        let json = try repo.pipe("metrics", "diff", "--json")
        #expect(json.stdout.hasPrefix(#"{"eval/metrics.json":{"acc":{"old":0.9,"new":0.95,"diff":0.0"#))

        try repo.commitAll("better")
        let between = try repo.pipe("metrics", "diff", "HEAD~1", "HEAD")
        #expect(between.stdout.contains("eval/metrics.json  acc       0.9     0.95  0.05"), "\(between.all)")
    }

    @Test("diff with a malformed metrics file in the workspace exits 2")
    func diffMalformed() throws {
        let repo = try repoWithMetrics()
        #expect(try repo.pipe("repro").status == 0)
        try repo.commitAll("baseline")
        try repo.remove("eval/extra.yaml")
        try repo.write("eval/extra.yaml", "f1: [unclosed\n")
        let diff = try repo.pipe("metrics", "diff")
        #expect(diff.status == 2)
        #expect(diff.stderr.contains("eval/extra.yaml"))
    }

    @Test("A metrics directory stands for its JSON and YAML files, at HEAD read through its cached manifest")
    func directory() throws {
        let repo = try Repo()
        try repo.write("src/a.json", #"{"acc": 0.5}"#)
        try repo.write("src/b.yaml", "acc: 0.6\n")
        try repo.write("pipeline.yaml", """
            stages:
              evaluate:
                cmd: rm -rf scores && mkdir scores && cp src/a.json src/b.yaml scores/ && echo notes > scores/readme.txt
                deps: [src]
                metrics: [scores]

            """)
        #expect(try repo.pipe("repro").status == 0)
        let show = try repo.pipe("metrics", "show")
        #expect(show.stdout == "Path           acc\nscores/a.json  0.5\nscores/b.yaml  0.6\n", "\(show.all)")
        try repo.commitAll("baseline")
        try repo.write("src/a.json", #"{"acc": 0.75}"#)
        #expect(try repo.pipe("repro").status == 0)
        let diff = try repo.pipe("metrics", "diff")
        #expect(diff.stdout == "Path           Metric  HEAD  workspace  Change\nscores/a.json  acc     0.5   0.75       0.25\n", "\(diff.all)")
    }
}
