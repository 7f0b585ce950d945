import Foundation
import Testing

/// End-to-end behaviour of `pipe exp run/show/apply` through the built `pipe`.
@Suite struct ExpTests {
    static let params = """
    # Training knobs (comments must survive -S)
    train:
      lr: 0.1   # learning rate
      epochs: 2

      layers: [8, 16]
    tag: "base"

    """

    /// One stage `train` writing a model directory and a metrics file from its params; logs each run.
    func project() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", Self.params)
        try repo.write("train.sh", """
        echo run >> runs.log
        mkdir -p model && echo "$1" > model/lr
        printf '{"acc": %s, "loss": {"val": %s}}\\n' "$2" "$1" > metrics.json

        """)
        try repo.write("pipeline.yaml", """
        stages:
          train:
            cmd: sh train.sh ${train.lr} ${train.epochs}
            deps: [train.sh]
            params: [train]
            outs: [model]
            metrics:
              - metrics.json:
                  cache: false

        """)
        return repo
    }

    func runs(_ repo: Repo) -> Int { (repo.read("runs.log") ?? "").split(separator: "\n").count }

    func experimentFiles(_ repo: Repo) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent(".cache/exps").path)) ?? [])
            .filter { $0.hasSuffix(".json") }
    }

    @Test("exp run applies -S keeping comments, reproduces with reasons, and records the experiment")
    func runRecords() throws {
        let repo = try project()
        let r = try repo.pipe("exp", "run", "-S", "train.lr=0.25", "-S", "train.layers=[4, 8]")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("params.yaml") == Self.params
            .replacingOccurrences(of: "lr: 0.1   #", with: "lr: 0.25   #")
            .replacingOccurrences(of: "[8, 16]", with: "[4, 8]"))
        #expect(r.stdout.contains("Running 'train' because:"))
        #expect(r.stdout.contains("Recorded experiment 'exp-"))
        #expect(repo.read("model/lr") == "0.25\n")
        #expect(experimentFiles(repo).count == 1)
        let show = try repo.pipe("exp", "show", "--json")
        #expect(show.status == 0, "\(show.all)")
        #expect(show.stdout.contains("\"name\":\"workspace\""))
        #expect(show.stdout.contains("\"train.lr\":0.25"))
        #expect(show.stdout.contains("\"acc\":2"))
        #expect(show.stdout.contains("\"loss.val\":0.25"))
        #expect(show.stdout.contains("\"overrides\"") == false)
    }

    @Test("exp show lists the workspace and experiments in creation order with the params that differ and the metrics")
    func showTable() throws {
        let repo = try project()
        #expect(try repo.pipe("exp", "run", "-n", "first", "-S", "train.lr=0.2").status == 0)
        #expect(try repo.pipe("exp", "run", "-n", "second", "-S", "train.lr=0.3", "-S", "train.epochs=4").status == 0)
        let show = try repo.pipe("exp", "show")
        #expect(show.status == 0, "\(show.all)")
        let lines = show.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4)
        #expect(lines[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            == ["Experiment", "Created", "train.lr", "train.epochs", "acc", "loss.val"])
        #expect(lines[1].hasPrefix("workspace"))
        #expect(lines[2].hasPrefix("first"))
        #expect(lines[3].hasPrefix("second"))
        #expect(lines[2].contains("0.2") && lines[3].contains("0.3"))
        let md = try repo.pipe("exp", "show", "--md")
        #expect(md.stdout.hasPrefix("| Experiment | Created | train.lr | train.epochs | acc | loss.val |\n"))
        #expect(try repo.pipe("exp", "show", "--md", "--json").status == 2)
    }

    @Test("-S on an unknown key fails with the file, the key and a suggestion, and changes nothing")
    func unknownKey() throws {
        let repo = try project()
        let r = try repo.pipe("exp", "run", "-S", "train.lr=0.5", "-S", "train.epoch=3")
        #expect(r.status == 2)
        #expect(r.stderr.contains("params.yaml"))
        #expect(r.stderr.contains("train.epoch"))
        #expect(r.stderr.contains("did you mean 'train.epochs'"))
        #expect(repo.read("params.yaml") == Self.params)
        #expect(runs(repo) == 0)
        #expect(experimentFiles(repo).isEmpty)
        #expect(!repo.exists("pipe.lock"))
    }

    @Test("-S on a missing params file and a malformed -S are usage errors that change nothing")
    func badOverrides() throws {
        let repo = try project()
        let missing = try repo.pipe("exp", "run", "-S", "other.yaml:a=1")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("other.yaml"))
        let malformed = try repo.pipe("exp", "run", "-S", "train.lr")
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("no '='"))
        #expect(repo.read("params.yaml") == Self.params)
        #expect(runs(repo) == 0)
    }

    @Test("a failed run exits 1 and records nothing")
    func failedRunRecordsNothing() throws {
        let repo = try project()
        try repo.write("train.sh", "echo boom >&2\nexit 3\n")
        let r = try repo.pipe("exp", "run", "-S", "train.lr=0.5")
        #expect(r.status == 1, "\(r.all)")
        #expect(r.stderr.contains("boom"))
        #expect(experimentFiles(repo).isEmpty)
    }

    @Test("a second experiment with an existing name is refused before anything changes")
    func duplicateName() throws {
        let repo = try project()
        #expect(try repo.pipe("exp", "run", "-n", "same", "-S", "train.lr=0.2").status == 0)
        let params = repo.read("params.yaml")
        let again = try repo.pipe("exp", "run", "-n", "same", "-S", "train.lr=0.3")
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(repo.read("params.yaml") == params)
    }

    @Test("exp apply brings back an experiment's params, lock, metrics and outputs, and the pipeline is up to date")
    func applyRestores() throws {
        let repo = try project()
        #expect(try repo.pipe("exp", "run", "-n", "small", "-S", "train.lr=0.2").status == 0)
        let smallParams = repo.read("params.yaml")
        let smallLock = repo.read("pipe.lock")
        #expect(try repo.pipe("exp", "run", "-n", "big", "-S", "train.lr=0.9", "-S", "train.epochs=7").status == 0)
        #expect(repo.read("model/lr") == "0.9\n")
        let before = runs(repo)
        let apply = try repo.pipe("exp", "apply", "small")
        #expect(apply.status == 0, "\(apply.all)")
        #expect(repo.read("params.yaml") == smallParams)
        #expect(repo.read("pipe.lock") == smallLock)
        #expect(repo.read("model/lr") == "0.2\n")
        #expect(repo.read("metrics.json")?.contains("\"acc\": 2") == true)
        #expect(runs(repo) == before)
        let status = try repo.pipe("status", "--check")
        #expect(status.status == 0, "\(status.all)")
    }

    @Test("exp apply of an unknown name exits 2 with did-you-mean and changes nothing")
    func applyUnknown() throws {
        let repo = try project()
        #expect(try repo.pipe("exp", "run", "-n", "lr-sweep", "-S", "train.lr=0.2").status == 0)
        let params = repo.read("params.yaml")
        let r = try repo.pipe("exp", "apply", "lr-swep")
        #expect(r.status == 2)
        #expect(r.stderr.contains("no experiment named 'lr-swep'"))
        #expect(r.stderr.contains("did you mean 'lr-sweep'"))
        #expect(repo.read("params.yaml") == params)
    }
}

/// Overrides that break the pipeline are rolled back.
@Suite struct ExpRollbackTests {
    @Test("an override that makes the pipeline invalid is undone: exit 2, params file unchanged, nothing run")
    func invalidAfterOverride() throws {
        let repo = try ExpTests().project()
        let r = try repo.pipe("exp", "run", "-S", "train.lr=[1, 2]")
        #expect(r.status == 2, "\(r.all)")
        #expect(r.stderr.contains("train.lr"))
        #expect(repo.read("params.yaml") == ExpTests.params)
        #expect(!repo.exists("runs.log"))
    }
}

/// Overrides of other params files and added keys, through the CLI.
@Suite struct ExpOtherFileTests {
    @Test("file.yaml:key=value edits another params file the stage reads, +key adds a key, and the record lists both")
    func otherFileAndAddedKey() throws {
        let repo = try Repo()
        try repo.write("params.yaml", "seed: 1\n")
        try repo.write("conf/model.yaml", "# model\nmodel:\n  width: 4   # units\n")
        try repo.write("pipeline.yaml", """
        stages:
          fit:
            cmd: grep width conf/model.yaml > width.txt
            params:
              - conf/model.yaml:
                  - model
            outs: [width.txt]

        """)
        let r = try repo.pipe("exp", "run", "-n", "wide", "-S", "conf/model.yaml:model.width=16", "-S", "+extra=x")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("conf/model.yaml") == "# model\nmodel:\n  width: 16   # units\n")
        #expect(repo.read("params.yaml") == "seed: 1\nextra: x\n")
        #expect(repo.read("width.txt") == "  width: 16   # units\n")
        let show = try repo.pipe("exp", "show", "--json")
        #expect(show.stdout.contains("\"conf/model.yaml:model.width\":16"))
        #expect(show.stdout.contains("\"extra\":\"x\""))
        let record = try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent(".cache/exps").path)
        #expect(record.count == 1)
        let text = repo.read(".cache/exps/" + record[0]) ?? ""
        #expect(text.contains("{\"op\": \"add\", \"file\": \"params.yaml\", \"key\": \"extra\", \"text\": \"x\", \"value\": \"x\"}"))
    }
}
