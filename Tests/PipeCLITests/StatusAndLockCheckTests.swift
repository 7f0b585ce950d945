import Foundation
import Testing

/// `pipe status` and `pipe lock --check`, end to end.
@Suite struct StatusAndLockCheckTests {
    func twoStages() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "sft:\n  lr: 0.0002\n  rank: 16\n")
        try repo.write("src/prep.sh", "cp in.txt mid.txt\n")
        try repo.write("in.txt", "data\n")
        try repo.write("pipeline.yaml", """
        stages:
          prep:
            cmd: sh src/prep.sh
            deps: [src/prep.sh, in.txt]
            outs: [mid.txt]
          sft:
            cmd: cp mid.txt out.txt
            deps: [mid.txt]
            params: [sft.lr]
            outs: [out.txt]

        """)
        return repo
    }

    @Test func statusListsNeverRunStagesAndCheckExitsOne() throws {
        let repo = try twoStages()
        let r = try repo.pipe("status", "--check")
        #expect(r.status == 1)
        #expect(r.stdout.contains("prep: stale\n    never run"))
        let fresh = try repo.pipe("status")
        #expect(fresh.status == 0)
    }

    @Test func statusJsonIsStableAndCarriesEveryReason() throws {
        let repo = try twoStages()
        try repo.pipe("repro")
        try repo.write("params.yaml", "sft:\n  lr: 0.0001\n  rank: 16\n")
        let r = try repo.pipe("status", "--json")
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(json["stale"] as? Bool == true)
        let stages = json["stages"] as! [[String: Any]]
        #expect(stages.map { $0["name"] as! String } == ["prep", "sft"])
        let reasons = stages[1]["reasons"] as! [[String: Any]]
        #expect(reasons.first?["kind"] as? String == "param_changed")
        #expect(reasons.first?["key"] as? String == "sft.lr")
        #expect(reasons.first?["old"] as? Double == 0.0002)
        #expect(reasons.first?["new"] as? Double == 0.0001)
        #expect(reasons.first?["message"] as? String == "param sft.lr 0.0002 → 0.0001")
    }

    @Test func statusForATargetCoversOnlyItsUpstream() throws {
        let repo = try twoStages()
        let r = try repo.pipe("status", "prep")
        #expect(r.stdout.contains("prep: stale"))
        #expect(!r.stdout.contains("sft"))
        let unknown = try repo.pipe("status", "sfx")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'sft'"))
    }

    @Test func lockCheckIsFreshWithoutTheDataAndStaleWhenAParamMoves() throws {
        let repo = try twoStages()
        try repo.pipe("repro")
        // CI's clone: code, params and lock, no data.
        for p in ["in.txt", "mid.txt", "out.txt"] { try repo.remove(p) }
        let fresh = try repo.pipe("lock", "--check")
        #expect(fresh.status == 0, "\(fresh.all)")
        #expect(fresh.stdout.contains("fresh"))
        #expect(fresh.stdout.contains("unverified"))
        try repo.write("params.yaml", "sft:\n  lr: 0.0001\n  rank: 16\n")
        let stale = try repo.pipe("lock", "--check")
        #expect(stale.status == 1)
        #expect(stale.stdout.contains("sft: stale\n    param sft.lr 0.0002 → 0.0001"))
    }

    @Test func lockCheckCatchesEditedCodeAndAnUnrelatedParamDoesNot() throws {
        let repo = try twoStages()
        try repo.pipe("repro")
        try repo.write("params.yaml", "sft:\n  lr: 0.0002\n  rank: 8\n")
        #expect(try repo.pipe("lock", "--check").status == 0)
        try repo.write("src/prep.sh", "cp in.txt mid.txt # edited\n")
        let r = try repo.pipe("lock", "--check")
        #expect(r.status == 1)
        #expect(r.stdout.contains("dep src/prep.sh changed"))
    }

    @Test func lockCheckCatchesADepThatDisagreesWithItsProducersLockedOutput() throws {
        let repo = try twoStages()
        try repo.pipe("repro")
        try repo.write("in.txt", "other\n")
        try repo.pipe("repro", "-s", "prep")
        for p in ["in.txt", "mid.txt", "out.txt"] { try repo.remove(p) }
        let r = try repo.pipe("lock", "--check")
        #expect(r.status == 1)
        #expect(r.stdout.contains("sft: stale\n    dep mid.txt changed"))
    }

    @Test func aLockWithConflictMarkersIsInvalidInput() throws {
        let repo = try twoStages()
        try repo.write("pipe.lock", "schema: 1\nstages:\n<<<<<<< ours\n=======\n>>>>>>> theirs\n")
        let r = try repo.pipe("status")
        #expect(r.status == 2)
        #expect(r.stderr.contains("pipe.lock:3:1"))
        #expect(r.stderr.contains("merge-conflict"))
    }
}
