import Foundation
import Testing
@testable import PipeCore

@Suite struct LoadingTests {
    @Test func aStageWithEveryKeyLoadsIntoItsModel() throws {
        let p = try loadPipeline("""
            stages:
              clean:
                cmd: python clean.py --in data/raw
                deps: [data/raw, clean.py]
                params: [clean]
                outs:
                  - data/clean
                  - data/cache:
                      cache: false
                      persist: true
                metrics:
                  - reports/clean.json:
                      cache: false
                plots: [reports/loss.csv]
                frozen: true
                always_changed: true
                desc: Remove duplicates
                meta: {owner: anyone, anything: [1, 2]}
            """, files: ["params.yaml": "clean:\n  min_len: 3\n"])
        let s = try #require(p.stage(named: "clean"))
        #expect(s.command == .shell(["python clean.py --in data/raw"]))
        #expect(s.deps.map(\.path) == ["clean.py", "data/raw"])
        #expect(s.params == [ParamReference(file: "params.yaml", key: "clean")])
        #expect(s.outs == [
            Output(path: "data/cache", kind: .out, cache: false, persist: true),
            Output(path: "data/clean"),
            Output(path: "reports/clean.json", kind: .metric, cache: false),
            Output(path: "reports/loss.csv", kind: .plot),
        ])
        #expect(s.frozen && s.alwaysChanged)
        #expect(s.desc == "Remove duplicates")
        #expect(s.wdir == ".")
        #expect(s.location == SourceLocation(file: "pipeline.yaml", line: 2, column: 3))
        #expect(p.paramsFiles["params.yaml"]?.value(at: "clean.min_len") == .int(3))
    }

    @Test func cmdMayBeAListOfCommands() throws {
        let p = try loadPipeline("stages:\n  a:\n    cmd:\n      - echo one\n      - echo two\n")
        #expect(p.stages[0].command == .shell(["echo one", "echo two"]))
    }

    @Test func aPluginStageCarriesItsArguments() throws {
        let p = try loadPipeline("stages:\n  sft:\n    plugin: sft\n    args: [--epochs, 3, --fast]\n")
        #expect(p.stages[0].command == .plugin(name: "sft", args: ["--epochs", "3", "--fast"]))
    }

    @Test func aStageNeedsExactlyOneOfCmdAndPlugin() throws {
        let both = try #require(try loadError("stages:\n  a:\n    cmd: x\n    plugin: y\n"))
        #expect(both.code == .invalidValue)
        #expect(both.description.contains("pipeline.yaml:3:10"))
        let neither = try #require(try loadError("stages:\n  a:\n    deps: [x]\n"))
        #expect(neither.code == .missingKey)
        #expect(neither.keyPath == "stages.a")
        let stray = try #require(try loadError("stages:\n  a:\n    cmd: x\n    args: [y]\n"))
        #expect(stray.keyPath == "stages.a.args")
    }

    @Test func pathsResolveAgainstWdirAndNormaliseToTheRepoRoot() throws {
        let p = try loadPipeline("""
            stages:
              train:
                wdir: src/./train
                cmd: ./run.sh
                deps: [../../data/clean/, ./model.py]
                outs: [../../models/out//]
                params: [lr, {../../shared.yaml: [seed]}]
            """, files: ["src/train/params.yaml": "lr: 0.1\n", "shared.yaml": "seed: 1\n"])
        let s = p.stages[0]
        #expect(s.wdir == "src/train")
        #expect(s.deps.map(\.path) == ["data/clean", "src/train/model.py"])
        #expect(s.outs.map(\.path) == ["models/out"])
        #expect(s.params == [ParamReference(file: "shared.yaml", key: "seed"),
                             ParamReference(file: "src/train/params.yaml", key: "lr")])
    }

    @Test func aPathClimbingAboveTheRootIsRefusedWithItsLocation() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n    deps:\n      - ../outside.txt\n"))
        #expect(e.code == .pathEscapesRepo)
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 5, column: 9))
        #expect(e.keyPath == "stages.a.deps[0]")
    }

    @Test func anAbsolutePathOrAWdirOutsideTheRepoIsRefused() throws {
        let abs = try #require(try loadError("stages:\n  a:\n    cmd: x\n    outs: [/tmp/model.bin]\n"))
        #expect(abs.code == .pathEscapesRepo)
        #expect(abs.keyPath == "stages.a.outs[0]")
        let wdir = try #require(try loadError("stages:\n  a:\n    cmd: x\n    wdir: ../elsewhere\n"))
        #expect(wdir.code == .pathEscapesRepo)
        #expect(wdir.keyPath == "stages.a.wdir")
    }

    @Test func anUnknownStageKeySuggestsTheClosestOne() throws {
        let e = try #require(try loadError("stages:\n  train:\n    cmd: x\n    dpes: [a]\n"))
        #expect(e.code == .unknownKey)
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 4, column: 5))
        #expect(e.keyPath == "stages.train.dpes")
        #expect(e.description.contains("did you mean 'deps'?"))
        #expect(e.description.hasPrefix("pipeline.yaml:4:5: error: stages.train.dpes:"))
    }

    @Test func anUnknownOutputFlagOrTopLevelKeyIsReported() throws {
        let flag = try #require(try loadError("stages:\n  a:\n    cmd: x\n    outs:\n      - m.bin:\n          cahce: false\n"))
        #expect(flag.code == .unknownKey)
        #expect(flag.description.contains("did you mean 'cache'?"))
        let top = try #require(try loadError("stage:\n  a:\n    cmd: x\n"))
        #expect(top.code == .unknownKey)
        #expect(top.description.contains("did you mean 'stages'?"))
    }

    @Test func aYAMLSyntaxErrorReportsThePositionLibyamlGives() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: [unclosed\n    deps: x\n"))
        #expect(e.code == .yamlSyntax)
        #expect(e.location?.file == "pipeline.yaml")
        #expect((e.location?.line ?? 0) >= 3)
        let tabs = try #require(try loadError("stages:\n\ta:\n"))
        #expect(tabs.code == .yamlSyntax)
        #expect(tabs.location?.line == 2)
    }

    @Test func aDuplicateKeyInTheYAMLIsASyntaxError() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n  a:\n    cmd: y\n"))
        #expect(e.code == .yamlSyntax)
        #expect(e.message.contains("'a'"))
    }

    @Test func wrongValueTypesNameTheKeyAndTheExpectedType() throws {
        let deps = try #require(try loadError("stages:\n  a:\n    cmd: x\n    deps: data\n"))
        #expect(deps.code == .invalidValue)
        #expect(deps.keyPath == "stages.a.deps")
        #expect(deps.message.contains("must be a list"))
        let frozen = try #require(try loadError("stages:\n  a:\n    cmd: x\n    frozen: yes\n"))
        #expect(frozen.code == .invalidValue)
        #expect(frozen.keyPath == "stages.a.frozen")
    }

    @Test func reorderedDepsParamsAndOutsGiveEqualStages() throws {
        let files = ["params.yaml": "a: 1\nb: 2\n"]
        let one = try loadPipeline("stages:\n  s:\n    cmd: x\n    deps: [b, a, c]\n    params: [b, a]\n    outs: [z, y]\n", files: files)
        let two = try loadPipeline("stages:\n  s:\n    cmd: x\n    deps: [c, a, b, a]\n    params: [a, b]\n    outs: [y, z]\n", files: files)
        #expect(one.stages == two.stages)
    }

    @Test func anInvalidStageNameIsRefused() throws {
        let e = try #require(try loadError("stages:\n  a@b:\n    cmd: x\n"))
        #expect(e.code == .invalidValue)
        #expect(e.keyPath == "stages.a@b")
    }

    @Test func aPipelineInASubdirectoryResolvesPathsFromThere() throws {
        let repo = try TempRepo(["sub/pipeline.yaml": "stages:\n  a:\n    cmd: x\n    deps: [in.txt]\n    outs: [../out.txt]\n"])
        let p = try repo.load("sub/pipeline.yaml")
        #expect(p.stages[0].wdir == "sub")
        #expect(p.stages[0].deps.map(\.path) == ["sub/in.txt"])
        #expect(p.stages[0].outs.map(\.path) == ["out.txt"])
    }

    @Test func aMissingPipelineFileIsAUsageError() throws {
        let repo = try TempRepo([:])
        let e = #expect(throws: PipeError.self) { _ = try repo.load() }
        #expect(e?.code == .usage)
        #expect(e?.exitCode == 2)
    }

    @Test func anEmptyPipelineHasNoStages() throws {
        #expect(try loadPipeline("").stages.isEmpty)
        #expect(try loadPipeline("stages:\n").stages.isEmpty)
    }
}
