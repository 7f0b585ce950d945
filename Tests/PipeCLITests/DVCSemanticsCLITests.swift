import Foundation
import Testing

/// `pipe repro` and `pipe status` behave as `dvc repro` and `dvc status` where a DVC user relies on it.
@Suite struct DVCSemanticsCLITests {
    func runs(_ repo: Repo) -> [String] {
        (repo.read("runs.log") ?? "").split(separator: "\n").map(String.init)
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
