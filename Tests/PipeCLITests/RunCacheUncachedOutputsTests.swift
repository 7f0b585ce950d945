import Foundation
import Testing

/// The run cache for stages with `cache: false` outputs (metrics, plots, plain outs, directories): their contents
/// are stored with the run and restored byte for byte; a damaged object is a miss, never a wrong restore.
@Suite struct RunCacheUncachedOutputsTests {
    /// One stage `train` with a cached model, an uncached metrics file and an uncached directory of curves, each
    /// depending on `lr` (read from params.yaml, so only the param changes, not the command); `runs.log` records
    /// every real run.
    func project() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "lr: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          train:
            cmd: >-
              echo ran >> runs.log && lr=$(sed -n 's/^lr: //p' params.yaml) && mkdir -p model curves &&
              echo w$lr > model/weights && printf '{"lr": %s, "loss": 0.%s}\\n' $lr $lr > metrics.json &&
              echo step,$lr > curves/loss.csv
            params: [lr]
            outs:
              - model
              - curves:
                  cache: false
            metrics:
              - metrics.json:
                  cache: false

        """)
        return repo
    }

    /// Runs lr 1 then lr 2 (two real runs) and returns the lr-1 contents of the uncached outputs.
    func runBothConfigurations(_ repo: Repo) throws -> (metrics: Data?, curve: Data?) {
        #expect(try repo.pipe("repro").status == 0)
        let first = (repo.data("metrics.json"), repo.data("curves/loss.csv"))
        try repo.write("params.yaml", "lr: 2\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(repo.read("metrics.json") == "{\"lr\": 2, \"loss\": 0.2}\n")
        try repo.write("params.yaml", "lr: 1\n")
        return first
    }

    /// The cache object of `path` as the workspace lock names it now.
    func objectPath(of path: String, in repo: Repo) throws -> String {
        let lock = try #require(repo.read("pipe.lock"))
        let after = try #require(lock.range(of: "- path: \(path)\n      hash: "))
        let hash = String(lock[after.upperBound...].prefix(32))
        return ".cache/objects/\(hash.prefix(2))/\(hash.dropFirst(2))"
    }

    let restoredOutput = """
    'train': restored from the run cache (this exact run happened before), because:
        param lr 2 → 1

    """

    @Test("returning to a configuration seen before restores the cache: false metrics and directory byte for byte, without a rerun")
    func restoresUncachedOutputsFromTheRunCache() throws {
        let repo = try project()
        let first = try runBothConfigurations(repo)
        let r = try repo.pipe("repro")
        #expect(r.status == 0)
        #expect(r.stdout == restoredOutput)
        #expect(r.stderr == "")
        #expect(repo.read("runs.log") == "ran\nran\n")
        #expect(repo.data("metrics.json") == first.metrics && first.metrics != nil)
        #expect(repo.data("curves/loss.csv") == first.curve && first.curve != nil)
        #expect(repo.read("model/weights") == "w1\n")
        // An uncached output comes back as a plain writable file, not a read-only link into the store.
        let mode = try FileManager.default.attributesOfItem(atPath: repo.root.appendingPathComponent("metrics.json").path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(try repo.pipe("status", "--check").status == 0)
        // Uncached outputs stay out of .gitignore.
        #expect(repo.read(".gitignore") == "/model\n")
    }

    @Test("a deleted cache: false metrics file of the current run is restored from the run cache, not rerun")
    func aMissingUncachedOutputIsRestored() throws {
        let repo = try project()
        #expect(try repo.pipe("repro").status == 0)
        let metrics = repo.data("metrics.json")
        try repo.remove("metrics.json")
        let r = try repo.pipe("repro")
        #expect(r.status == 0)
        #expect(r.stdout == """
        'train': restored from the run cache (this exact run happened before), because:
            out metrics.json missing

        """)
        #expect(repo.data("metrics.json") == metrics)
        #expect(repo.read("runs.log") == "ran\n")
    }

    @Test("a corrupted or missing stored object of an uncached output makes the run cache miss: the stage reruns",
          arguments: ["corrupt", "missing"])
    func aDamagedObjectMeansARerun(damage: String) throws {
        let repo = try project()
        #expect(try repo.pipe("repro").status == 0)
        let object = try objectPath(of: "metrics.json", in: repo)
        let first = try runBothConfigurations(repo)
        let url = repo.root.appendingPathComponent(object)
        #expect(FileManager.default.fileExists(atPath: url.path))
        if damage == "corrupt" {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: url.path)
            try Data("{\"lr\": 9, \"loss\": 0.9}\n".utf8).write(to: url)      // same size, other bytes
        } else {
            try FileManager.default.removeItem(at: url)
        }
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.hasPrefix("Running 'train' because:\n    param lr 2 → 1\n"))
        #expect(!r.stdout.contains("run cache"))
        #expect(repo.read("runs.log") == "ran\nran\nran\n")
        #expect(repo.data("metrics.json") == first.metrics)
        // The rerun stored a good copy again: the next return restores it.
        try repo.write("params.yaml", "lr: 2\n")
        #expect(try repo.pipe("repro").stdout.contains("restored from the run cache"))
        try repo.write("params.yaml", "lr: 1\n")
        #expect(try repo.pipe("repro").stdout == restoredOutput)
        #expect(repo.read("runs.log") == "ran\nran\nran\n")
    }

    @Test("gc keeps the uncached outputs' objects that run-cache entries name; --drop-run-cache frees them")
    func gcKeepsObjectsOfRunCacheEntries() throws {
        let repo = try project()
        _ = try runBothConfigurations(repo)
        let gc = try repo.pipe("gc")
        #expect(gc.status == 0, "\(gc.all)")
        #expect(try repo.pipe("repro").stdout == restoredOutput)
        #expect(repo.read("runs.log") == "ran\nran\n")
        try repo.write("params.yaml", "lr: 2\n")
        #expect(try repo.pipe("gc", "--drop-run-cache").status == 0)
        let r = try repo.pipe("repro")
        #expect(r.stdout.hasPrefix("Running 'train' because:\n    param lr 1 → 2\n"), "\(r.all)")
        #expect(repo.read("runs.log") == "ran\nran\nran\n")
    }
}
