import Foundation
import Testing

/// Invalid pipelines exit 2, run nothing, and name the file, line and key with a fix.
@Suite struct BadInputTests {
    func failing(_ pipeline: String, params: String = "a: 1\n", files: [String: String] = [:]) throws -> Repo.Result {
        let repo = try Repo()
        try repo.write("params.yaml", params)
        for (p, t) in files { try repo.write(p, t) }
        try repo.write("pipeline.yaml", pipeline)
        let r = try repo.pipe("repro")
        #expect(r.status == 2, "\(r.all)")
        #expect(!repo.exists("ran.txt"))
        #expect(!repo.exists("pipe.lock"))
        return r
    }

    @Test func aYamlSyntaxErrorNamesFileLineAndColumn() throws {
        let r = try failing("stages:\n  a:\n    cmd: [unclosed\n")
        #expect(r.stderr.contains("pipeline.yaml:"))
    }

    @Test func anUnknownStageKeySuggestsTheClosestOne() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    outz: [x]\n")
        #expect(r.stderr.contains("pipeline.yaml:4:"))
        #expect(r.stderr.contains("did you mean 'outs'"))
    }

    @Test func aCycleIsNamedAlongItsPath() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    deps: [b.txt]\n    outs: [a.txt]\n  b:\n    cmd: touch b.txt\n    deps: [a.txt]\n    outs: [b.txt]\n")
        #expect(r.stderr.contains("cycle"))
        #expect(r.stderr.contains("a") && r.stderr.contains("→"))
    }

    @Test func twoStagesWithTheSameOutAreRejected() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    outs: [x.txt]\n  b:\n    cmd: touch x.txt\n    outs: [x.txt]\n")
        #expect(r.stderr.contains("x.txt"))
    }

    @Test func anOutInsideAnotherOutIsRejected() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    outs: [data]\n  b:\n    cmd: touch data/x\n    outs: [data/x]\n")
        #expect(r.stderr.contains("data/x"))
    }

    @Test func aPathEscapingTheRepoIsRejected() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    deps: [../outside.txt]\n")
        #expect(r.stderr.contains("../outside.txt"))
    }

    @Test func aDeclaredParamMissingFromItsFileIsRejected() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    params: [train.lr]\n", params: "train:\n  epochs: 1\n")
        #expect(r.stderr.contains("train.lr"))
        #expect(r.stderr.contains("params.yaml"))
    }

    @Test func anUnresolvedVariableIsRejectedWithItsLocation() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt ${nope.key}\n")
        #expect(r.stderr.contains("nope.key"))
        #expect(r.stderr.contains("pipeline.yaml:3:"))
    }

    @Test func aDepThatNeitherExistsNorIsProducedIsRejected() throws {
        let r = try failing("stages:\n  a:\n    cmd: touch ran.txt\n    deps: [missing.txt]\n")
        #expect(r.stderr.contains("missing.txt"))
    }
}
