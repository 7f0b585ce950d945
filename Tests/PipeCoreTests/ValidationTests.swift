import Foundation
import Testing
@testable import PipeCore

@Suite struct ValidationTests {
    @Test func twoStagesWithTheSameOutAreRefused() throws {
        let e = try #require(try loadError("""
            stages:
              a:
                cmd: x
                outs: [data/out]
              b:
                cmd: y
                outs:
                  - data/out
            """))
        #expect(e.code == .duplicateOut)
        #expect(e.message.contains("'a'") && e.message.contains("'b'"))
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 8, column: 9))
        #expect(e.exitCode == 2)
    }

    @Test func oneStageDeclaringAnOutTwiceIsRefused() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n    outs: [m]\n    metrics: [m]\n"))
        #expect(e.code == .duplicateOut)
    }

    @Test func anOutInsideAnotherOutIsRefused() throws {
        let e = try #require(try loadError("""
            stages:
              a:
                cmd: x
                outs: [data]
              b:
                cmd: y
                outs: [data/sub/file.txt]
            """))
        #expect(e.code == .overlappingOut)
        #expect(e.message.contains("'data/sub/file.txt'") && e.message.contains("'data'"))
        #expect(e.location?.line == 7)
    }

    @Test func siblingPathsWithACommonPrefixDoNotOverlap() throws {
        let p = try loadPipeline("stages:\n  a:\n    cmd: x\n    outs: [data]\n  b:\n    cmd: y\n    outs: [database]\n")
        #expect(p.stages.count == 2)
    }

    @Test func aCycleIsReportedWithItsPath() throws {
        let e = try #require(try loadError("""
            stages:
              a:
                cmd: x
                deps: [c.txt]
                outs: [a.txt]
              b:
                cmd: x
                deps: [a.txt]
                outs: [b.txt]
              c:
                cmd: x
                deps: [b.txt]
                outs: [c.txt]
            """))
        #expect(e.code == .cycle)
        #expect(e.message.contains("a → b → c → a"))
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 2, column: 3))
    }

    @Test func aStageReadingItsOwnOutputIsACycle() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n    deps: [out/x]\n    outs: [out]\n"))
        #expect(e.code == .cycle)
        #expect(e.message.contains("its own output 'out'"))
    }

    @Test func checkingDepsFindsAMissingDepButAcceptsProducedAndPresentOnes() throws {
        let repo = try TempRepo([
            "pipeline.yaml": """
                stages:
                  a:
                    cmd: x
                    deps: [in.txt]
                    outs: [mid]
                  b:
                    cmd: y
                    deps: [mid/part, src]
                    outs: [final]
                """,
            "in.txt": "hi", "src/code.py": "",
        ])
        let pipeline = try repo.load()
        let graph = try StageGraph(pipeline: pipeline)
        try PipelineValidator.checkDepsExist(pipeline, graph: graph, repoRoot: repo.root)
        try FileManager.default.removeItem(at: repo.root.appendingPathComponent("in.txt"))
        let e = #expect(throws: PipeError.self) {
            try PipelineValidator.checkDepsExist(pipeline, graph: graph, repoRoot: repo.root)
        }
        #expect(e?.code == .missingDep)
        #expect(e?.message.contains("'in.txt'") == true)
        #expect(e?.location == SourceLocation(file: "pipeline.yaml", line: 4, column: 12))
    }

    @Test func loadingNeverRequiresTheDataToExist() throws {
        let p = try loadPipeline("stages:\n  a:\n    cmd: x\n    deps: [data/absent.bin]\n")
        #expect(p.stages[0].deps.map(\.path) == ["data/absent.bin"])
    }

    @Test func aStageDefinedTwiceInCodeIsRefusedByTheValidator() {
        let e = #expect(throws: PipeError.self) {
            try PipelineValidator.validate(Pipeline(stages: [stage("a"), stage("a")]))
        }
        #expect(e?.code == .invalidValue)
    }

    @Test func aGeneratedNameCollidingWithADeclaredStageIsRefused() throws {
        let e = try #require(try loadError("stages:\n  a:\n    foreach: [x]\n    do:\n      cmd: y\n  b:\n    cmd: z\n  a@x:\n    cmd: w\n"))
        #expect(e.code == .invalidValue)
    }
}
