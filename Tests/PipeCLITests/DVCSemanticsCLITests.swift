import Foundation
import Testing

/// `pipe repro` and `pipe status` behave as `dvc repro` and `dvc status` where a DVC user relies on it.
@Suite struct DVCSemanticsCLITests {
    /// A foreach group `build` (build@uk, build@us), a matrix `sweep` and a plain stage, each logging its runs.
    func grouped() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "models:\n  uk: {size: 1}\n  us: {size: 2}\n")
        try repo.write("pipeline.yaml", """
        stages:
          build:
            foreach: ${models}
            do:
              cmd: echo build@${key} >> runs.log && echo ${item.size} > out-${key}.txt
              outs: ["out-${key}.txt"]
          sweep:
            matrix:
              m: [cnn, xgb]
              l: [en, fr]
            cmd: echo sweep@${key} >> runs.log && echo ${key} > sw-${key}.txt
            outs: ["sw-${key}.txt"]
          other:
            cmd: echo other >> runs.log && echo o > other.txt
            outs: [other.txt]

        """)
        return repo
    }

    func runs(_ repo: Repo) -> [String] {
        (repo.read("runs.log") ?? "").split(separator: "\n").map(String.init)
    }

    @Test func reproOfAForeachGroupNameRunsEveryStageOfTheGroupAndNothingElse() throws {
        let repo = try grouped()
        let r = try repo.pipe("repro", "-j", "1", "build")
        #expect(r.status == 0, "\(r.all)")
        #expect(runs(repo) == ["build@uk", "build@us"])
        let status = try repo.pipe("status", "build")
        #expect(status.status == 0)
        #expect(status.stdout == "Pipeline is up to date.\n")
    }

    @Test func statusTakesAPipelineFileTargetAndGlobPatterns() throws {
        let repo = try grouped()
        let file = try repo.pipe("status", "pipeline.yaml:sweep")
        #expect(file.status == 0, "\(file.all)")
        #expect(file.stdout == """
        sweep@cnn-en: stale
            never run
        sweep@cnn-fr: stale
            never run
        sweep@xgb-en: stale
            never run
        sweep@xgb-fr: stale
            never run

        """)
        let glob = try repo.pipe("repro", "-j", "1", "--glob", "sweep@*-en")
        #expect(glob.status == 0, "\(glob.all)")
        #expect(runs(repo) == ["sweep@cnn-en", "sweep@xgb-en"])
        let none = try repo.pipe("status", "--glob", "eval*")
        #expect(none.status == 2)
        #expect(none.stdout == "")
        #expect(none.stderr == """
        error: no stage matches 'eval*' in pipeline.yaml
          fix: run 'pipe dag' to list the stages; quote the pattern so the shell leaves it alone

        """)
    }

    @Test func reproOfAStageBelowAFrozenStageDoesNotRerunWhatTheFrozenStageWasBuiltFrom() throws {
        let repo = try ReproTests().chain()     // prepare → train → report
        #expect(try repo.pipe("repro").status == 0)
        let edited = repo.read("pipeline.yaml")!
            .replacingOccurrences(of: "  train:\n", with: "  train:\n    frozen: true\n")
            .replacingOccurrences(of: "ls model", with: "ls  model")
        try repo.write("pipeline.yaml", edited)
        try repo.write("raw.txt", "z\nb\nc\nd\n")
        let status = try repo.pipe("status", "report")
        #expect(status.status == 0)
        #expect(status.stdout == """
        report: stale
            cmd changed: echo report >> runs.log && ls model > report.txt → echo report >> runs.log && ls  model > report.txt
        frozen: train

        """)
        // DVC's `--with-deps` is accepted and prints the same (pipe lists a target's upstream anyway).
        let withDeps = try repo.pipe("status", "--with-deps", "report")
        #expect(withDeps.status == 0 && withDeps.stdout == status.stdout)
        let r = try repo.pipe("repro", "report")
        #expect(r.status == 0, "\(r.all)")
        #expect(runs(repo) == ["prepare", "train", "report", "report"])
        #expect(repo.read("data.txt") == "a\nb\nc\n")
    }

    @Test func aCommandStageWithoutDepsOrOutputsRunsOnEveryRepro() throws {
        let repo = try Repo()
        try repo.write("pipeline.yaml", "stages:\n  notify:\n    cmd: echo notify >> runs.log\n")
        #expect(try repo.pipe("repro").status == 0)
        let status = try repo.pipe("status")
        #expect(status.status == 0)
        #expect(status.stdout == "notify: stale\n    always_changed\n")
        #expect(try repo.pipe("repro").status == 0)
        #expect(runs(repo) == ["notify", "notify"])
    }
}
