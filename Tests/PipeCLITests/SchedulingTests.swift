import Foundation
import Testing

/// Parallel runs, declared resources, the run cache and cause chains, end to end.
@Suite struct SchedulingTests {
    /// Two independent branches that each record when they start and end (by appending to a shared log).
    func branches(resources: String = "") throws -> Repo {
        let repo = try Repo()
        try repo.write("pipeline.yaml", """
        stages:
          left:
            cmd: echo start-left >> order.log && echo end-left >> order.log && echo l > left.txt
            outs: [left.txt]
        \(resources)
          right:
            cmd: echo start-right >> order.log && echo end-right >> order.log && echo r > right.txt
            outs: [right.txt]
        \(resources)

        """)
        return repo
    }

    @Test func parallelRunsFinishEveryIndependentStageAndLockBoth() throws {
        let repo = try branches()
        let r = try repo.pipe("repro", "-j", "2")
        #expect(r.status == 0, "\(r.all)")
        #expect(repo.read("left.txt") == "l\n" && repo.read("right.txt") == "r\n")
        let lock = repo.read("pipe.lock") ?? ""
        #expect(lock.contains("  left:") && lock.contains("  right:"))
    }

    @Test func stagesSharingAResourceOfCapacityOneNeverOverlap() throws {
        let repo = try branches(resources: "    resources: {heavy: 1}")
        let r = try repo.pipe("repro", "-j", "2")
        #expect(r.status == 0, "\(r.all)")
        let log = (repo.read("order.log") ?? "").split(separator: "\n").map(String.init)
        // Each start is immediately followed by its own end: no interleaving.
        #expect(log.count == 4)
        #expect(log[0].dropFirst(6) == log[1].dropFirst(4))
        #expect(log[2].dropFirst(6) == log[3].dropFirst(4))
    }

    @Test func returningToAConfigurationSeenBeforeRestoresFromTheRunCache() throws {
        let repo = try Repo()
        try repo.write("params.yaml", "n: 1\n")
        try repo.write("pipeline.yaml", "stages:\n  s:\n    cmd: echo ran >> runs.log && echo ${n} > out.txt\n    params: [n]\n    outs: [out.txt]\n")
        try repo.pipe("repro")
        try repo.write("params.yaml", "n: 2\n")
        try repo.pipe("repro")
        try repo.write("params.yaml", "n: 1\n")
        let r = try repo.pipe("repro")
        #expect(r.status == 0, "\(r.all)")
        #expect(r.stdout.contains("restored from the run cache"))
        #expect(repo.read("out.txt") == "1\n")
        #expect(repo.read("runs.log") == "ran\nran\n")
        #expect(try repo.pipe("status", "--check").status == 0)
        try repo.write("params.yaml", "n: 2\n")
        try repo.pipe("repro", "--no-run-cache")
        #expect(repo.read("runs.log") == "ran\nran\nran\n")
    }

    @Test func explainFollowsACauseBackThroughUpstreamStagesToTheEditedParam() throws {
        let repo = try Repo()
        try repo.write("params.yaml", "a: 1\n")
        try repo.write("pipeline.yaml", """
        stages:
          one:
            cmd: echo ${a} > one.txt
            params: [a]
            outs: [one.txt]
          two:
            cmd: cp one.txt two.txt
            deps: [one.txt]
            outs: [two.txt]
          three:
            cmd: cp two.txt three.txt
            deps: [two.txt]
            outs: [three.txt]

        """)
        try repo.pipe("repro")
        try repo.write("params.yaml", "a: 2\n")
        let status = try repo.pipe("status", "--explain")
        #expect(status.stdout.contains("three: stale\n    upstream two stale\n      └─ because two:"))
        #expect(status.stdout.contains("param a 1 → 2"))
        let json = try repo.pipe("status", "--json", "--explain")
        let root = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let three = (root["stages"] as! [[String: Any]]).first { $0["name"] as? String == "three" }!
        let causes = (three["root_causes"] as! [[String: Any]]).compactMap { $0["kind"] as? String }
        #expect(causes.contains("param_changed"))
        #expect(!causes.contains("upstream_stale"))
    }
}
