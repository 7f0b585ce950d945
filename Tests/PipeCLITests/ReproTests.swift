import Foundation
import Testing

/// End-to-end behaviour of `pipe repro` on small shell-command pipelines in temporary repositories.
@Suite struct ReproTests {
    /// prepare → train → report, with a side log of which stages ran.
    func chain() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "prepare:\n  n: 3\ntrain:\n  lr: 0.1\n  epochs: 2\n")
        try repo.write("raw.txt", "a\nb\nc\nd\n")
        try repo.write("pipeline.yaml", """
        stages:
          prepare:
            cmd: echo prepare >> runs.log && head -n ${prepare.n} raw.txt > data.txt
            deps: [raw.txt]
            params: [prepare.n]
            outs: [data.txt]
          train:
            cmd: echo train >> runs.log && mkdir -p model && cat data.txt > model/weights && echo ${train.lr} > model/lr
            deps: [data.txt]
            params: [train]
            outs: [model]
          report:
            cmd: echo report >> runs.log && ls model > report.txt
            deps: [model]
            metrics:
              - report.txt:
                  cache: false

        """)
        return repo
    }

    func runs(_ repo: Repo) -> [String] {
        (repo.read("runs.log") ?? "").split(separator: "\n").map(String.init)
    }

    @Test func aFirstReproRunsEveryStageInOrderAndASecondRunsNothing() throws {
        let repo = try chain()
        let first = try repo.pipe("repro")
        #expect(first.status == 0, "\(first.all)")
        #expect(runs(repo) == ["prepare", "train", "report"])
        #expect(first.stdout.contains("never run"))
        #expect(repo.read("pipe.lock")?.contains("schema: 1") == true)
        let second = try repo.pipe("repro")
        #expect(second.status == 0)
        #expect(runs(repo) == ["prepare", "train", "report"])
        #expect(second.stdout.contains("up to date"))
    }

    @Test func changingAParamRerunsItsStageAndDependantsAndSaysWhy() throws {
        let repo = try chain()
        try repo.pipe("repro")
        try repo.write("params.yaml", "prepare:\n  n: 3\ntrain:\n  lr: 0.2\n  epochs: 2\n")
        let status = try repo.pipe("status")
        #expect(status.stdout.contains("train: stale"))
        #expect(status.stdout.contains("param train.lr 0.1 → 0.2"))
        #expect(status.stdout.contains("upstream train stale"))
        #expect(!status.stdout.contains("prepare: stale"))
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("param train.lr 0.1 → 0.2"))
        #expect(runs(repo) == ["prepare", "train", "report", "train", "report"])
    }

    @Test func anUpstreamRerunWithIdenticalOutputsStopsTheWave() throws {
        let repo = try chain()
        try repo.pipe("repro")
        try repo.write("raw.txt", "a\nb\nc\nchanged line beyond the first three\n")
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(runs(repo) == ["prepare", "train", "report", "prepare"])
        #expect(r.stdout.contains("outputs unchanged"))
    }

    @Test func aDeletedOutputIsRestoredFromTheCacheInsteadOfRerunning() throws {
        let repo = try chain()
        try repo.pipe("repro")
        let weights = repo.read("model/weights")
        try repo.remove("model")
        let status = try repo.pipe("status")
        #expect(status.stdout.contains("out model missing"))
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("restored model from the cache"))
        #expect(repo.read("model/weights") == weights)
        #expect(runs(repo) == ["prepare", "train", "report"])
    }

    @Test func checkoutRestoresOutputsExplicitly() throws {
        let repo = try chain()
        try repo.pipe("repro")
        try repo.remove("data.txt")
        let r = try repo.pipe("checkout")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("restored data.txt"))
        #expect(repo.read("data.txt") == "a\nb\nc\n")
        #expect(try repo.pipe("status", "--check").status == 0)
    }

    @Test func aCorruptCacheObjectIsNeverUsedAndTheStageRerunsInstead() throws {
        let repo = try chain()
        try repo.pipe("repro")
        let objects = repo.root.appendingPathComponent(".cache/objects")
        let files = FileManager.default.enumerator(at: objects, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath && !$0.lastPathComponent.hasSuffix(".dir") }
        for f in files {
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: f.path)
            try Data("corrupted".utf8).write(to: f)
        }
        try repo.remove("data.txt")
        let r = try repo.pipe("repro", "prepare")
        #expect(r.status == 0, "\(r.all)")
        #expect(runs(repo).last == "prepare")
        #expect(repo.read("data.txt") == "a\nb\nc\n")
    }

    @Test func aFailingStageExitsOneShowsItsStderrAndKeepsItsOldLockEntry() throws {
        let repo = try chain()
        try repo.pipe("repro")
        let lockBefore = repo.read("pipe.lock")
        try repo.write("params.yaml", "prepare:\n  n: 3\ntrain:\n  lr: 0.5\n  epochs: 2\n")
        try repo.write("pipeline.yaml", repo.read("pipeline.yaml")!.replacingOccurrences(
            of: "echo train >> runs.log &&", with: "echo train >> runs.log && mkdir -p model && echo partial > model/p && echo boom-from-stage >&2 && exit 3 &&"))
        let r = try repo.pipe("repro")
        #expect(r.status == 1)
        #expect(r.stderr.contains("boom-from-stage"))
        #expect(r.stderr.contains("'train' failed"))
        #expect(!runs(repo).suffix(1).contains("report"))
        let lockAfter = repo.read("pipe.lock")!
        let trainBlock = { (s: String) in s.components(separatedBy: "  train:")[1] }
        #expect(trainBlock(lockAfter) == trainBlock(lockBefore!))
    }

    @Test func keepGoingStillRunsIndependentBranches() throws {
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

        """)
        let stop = try repo.pipe("repro", "-j", "1")
        #expect(stop.status == 1)
        #expect(!repo.exists("good.txt"))
        let r = try repo.pipe("repro", "--keep-going")
        #expect(r.status == 1)
        #expect(repo.read("good.txt") == "ok\n")
        #expect(r.stdout.contains("'after-bad' not run: upstream 'bad' failed"))
    }

    @Test func dryRunPrintsThePlanWithReasonsAndChangesNothing() throws {
        let repo = try chain()
        let r = try repo.pipe("repro", "--dry")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("would run 'prepare'"))
        #expect(r.stdout.contains("would run 'report'"))
        #expect(!repo.exists("pipe.lock"))
        #expect(!repo.exists("runs.log"))
        #expect(!repo.exists("data.txt"))
    }

    @Test func singleItemForceAndDownstreamSelectStages() throws {
        let repo = try chain()
        try repo.pipe("repro")
        try repo.pipe("repro", "-f", "-s", "train")
        #expect(runs(repo).suffix(1) == ["train"])
        try repo.pipe("repro", "--downstream", "-f", "train")
        #expect(runs(repo).suffix(2) == ["train", "report"])
        try repo.pipe("repro", "-f", "train")
        #expect(runs(repo).suffix(2) == ["prepare", "train"])
    }

    @Test func outputsAreAddedToGitignoreAndCachedFilesAreReadOnly() throws {
        let repo = try chain()
        try repo.pipe("repro")
        let ignore = repo.read(".gitignore") ?? ""
        #expect(ignore.contains("/data.txt"))
        #expect(ignore.contains("/model"))
        #expect(!ignore.contains("report.txt"))
    }

    @Test func reorderingDepsAndOutsLeavesTheLockByteIdentical() throws {
        let repo = try Repo()
        try repo.write("a.txt", "a")
        try repo.write("b.txt", "b")
        try repo.write("params.yaml", "x: 1\ny: 2\n")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: cat a.txt b.txt > o1 && echo 1 > o2\n    deps: [a.txt, b.txt]\n    params: [x, y]\n    outs: [o1, o2]\n")
        try repo.pipe("repro")
        let before = repo.read("pipe.lock")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: cat a.txt b.txt > o1 && echo 1 > o2\n    deps: [b.txt, a.txt]\n    params: [y, x]\n    outs: [o2, o1]\n")
        let r = try repo.pipe("repro")
        #expect(r.stdout.contains("up to date"))
        #expect(repo.read("pipe.lock") == before)
    }

    @Test func entriesOfRemovedStagesAreDroppedFromTheLock() throws {
        let repo = try chain()
        try repo.pipe("repro")
        #expect(repo.read("pipe.lock")!.contains("  report:"))
        try repo.write("pipeline.yaml", repo.read("pipeline.yaml")!.components(separatedBy: "  report:")[0])
        try repo.pipe("repro")
        #expect(!repo.read("pipe.lock")!.contains("  report:"))
    }

    @Test func aSecondWriterFailsFastNamingThePidThatHoldsTheLock() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          outer:
            cmd: \(Repo.pipeExecutable.path) repro inner > nested.txt 2>&1; echo $? > nested-status.txt; echo done > outer.txt
            outs: [outer.txt]
          inner:
            cmd: echo inner > inner.txt
            outs: [inner.txt]

        """)
        let r = try repo.pipe("repro", "outer")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("nested-status.txt") == "1\n")
        #expect(repo.read("nested.txt")?.contains("another pipe process (pid ") == true)
    }

    @Test func anInterruptReachesTheStageAndLeavesTheLockAsItWas() throws {
        let repo = try chain()
        try repo.pipe("repro")
        let before = repo.read("pipe.lock")
        try repo.write("params.yaml", "prepare:\n  n: 2\ntrain:\n  lr: 0.1\n  epochs: 2\n")
        try repo.write("pipeline.yaml", repo.read("pipeline.yaml")!.replacingOccurrences(
            of: "echo prepare >> runs.log &&", with: "echo prepare >> runs.log && \(ReproLockSafetyTests.interruptPipe) &&"))
        let r = try repo.pipe("repro")
        #expect(r.status == 1)
        #expect(r.stderr.contains("interrupted"))
        #expect(repo.read("pipe.lock") == before)
    }

    @Test func foreachGeneratesOneStagePerItemNamedWithAt() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          greet:
            foreach: [en, fr]
            do:
              cmd: echo ${item} > hello-${item}.txt
              outs:
                - hello-${item}.txt

        """)
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("hello-fr.txt") == "fr\n")
        #expect(repo.read("pipe.lock")?.contains("greet@en:") == true)
    }
}
