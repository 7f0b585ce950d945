import Foundation
import Testing
@testable import PipeCore

@Suite struct ExpansionTests {
    @Test func foreachOverScalarsNamesStagesByValue() throws {
        let p = try loadPipeline("""
            stages:
              clean:
                foreach: [raw1, labels1, 3]
                do:
                  cmd: clean.py "${item}"
                  outs:
                    - ${item}.cln
            """)
        #expect(p.stages.map(\.name) == ["clean@raw1", "clean@labels1", "clean@3"])
        #expect(p.stages[0].command == .shell(["clean.py \"raw1\""]))
        #expect(p.stages[2].outs.map(\.path) == ["3.cln"])
    }

    @Test func foreachOverAListOfMappingsNamesStagesByIndex() throws {
        let p = try loadPipeline("""
            stages:
              train:
                foreach:
                  - {epochs: 3, thresh: 10}
                  - {epochs: 10, thresh: 15}
                do:
                  cmd: python train.py ${item.epochs} ${item.thresh}
            """)
        #expect(p.stages.map(\.name) == ["train@0", "train@1"])
        #expect(p.stages[1].command == .shell(["python train.py 10 15"]))
    }

    @Test func foreachOverAMappingNamesStagesByKeyAndBindsKey() throws {
        let p = try loadPipeline("""
            stages:
              build:
                foreach:
                  uk: {epochs: 3}
                  us: {epochs: 10}
                do:
                  cmd: python train.py '${key}' ${item.epochs}
                  outs:
                    - model-${key}.hdf5
            """)
        #expect(p.stages.map(\.name) == ["build@uk", "build@us"])
        #expect(p.stages[0].command == .shell(["python train.py 'uk' 3"]))
        #expect(p.stages[1].outs.map(\.path) == ["model-us.hdf5"])
    }

    @Test func foreachCanIterateOverAParamsValue() throws {
        let p = try loadPipeline("""
            stages:
              eval:
                foreach: ${langs}
                do:
                  cmd: eval --lang ${item}
            """, files: ["params.yaml": "langs: [en, fr]\n"])
        #expect(p.stages.map(\.name) == ["eval@en", "eval@fr"])
    }

    @Test func foreachOverAScalarOrWithoutDoIsAnError() throws {
        let scalar = try #require(try loadError("stages:\n  a:\n    foreach: ${n}\n    do:\n      cmd: x\n", files: ["params.yaml": "n: 3\n"]))
        #expect(scalar.code == .invalidValue)
        #expect(scalar.keyPath == "stages.a.foreach")
        let noDo = try #require(try loadError("stages:\n  a:\n    foreach: [1]\n"))
        #expect(noDo.code == .missingKey)
        let extra = try #require(try loadError("stages:\n  a:\n    foreach: [1]\n    cmd: x\n    do:\n      cmd: y\n"))
        #expect(extra.code == .unknownKey)
    }

    @Test func anErrorInsideAnIterationNamesTheGeneratedStage() throws {
        let e = try #require(try loadError("stages:\n  a:\n    foreach: [{x: 1}, {y: 2}]\n    do:\n      cmd: echo ${item.x}\n"))
        #expect(e.code == .unresolvedVariable)
        #expect(e.message.contains("a@1"))
        #expect(e.keyPath == "stages.a.do.cmd")
        #expect(e.location?.line == 5)
    }

    @Test func duplicateForeachValuesGiveADuplicateStageError() throws {
        let e = try #require(try loadError("stages:\n  a:\n    foreach: [x, x]\n    do:\n      cmd: echo ${item}\n"))
        #expect(e.code == .invalidValue)
        #expect(e.message.contains("a@x"))
    }

    @Test func matrixCombinesAxesInOrderAndNamesByValue() throws {
        let p = try loadPipeline("""
            stages:
              train:
                matrix:
                  model: [cnn, xgb]
                  lang: [en, fr]
                cmd: train ${item.model} ${item.lang} ${key}
                outs:
                  - models/${item.model}-${item.lang}
            """)
        #expect(p.stages.map(\.name) == ["train@cnn-en", "train@cnn-fr", "train@xgb-en", "train@xgb-fr"])
        #expect(p.stages[1].command == .shell(["train cnn fr cnn-fr"]))
        #expect(p.stages[3].outs.map(\.path) == ["models/xgb-fr"])
    }

    @Test func matrixNamesCompositeValuesByAxisAndIndex() throws {
        let p = try loadPipeline("""
            stages:
              sweep:
                matrix:
                  opt: [{name: adam, lr: 1}, {name: sgd, lr: 2}]
                  seed: ${seeds}
                cmd: run ${item.opt.name} ${item.seed}
            """, files: ["params.yaml": "seeds: [1, 2]\n"])
        #expect(p.stages.map(\.name) == ["sweep@opt0-1", "sweep@opt0-2", "sweep@opt1-1", "sweep@opt1-2"])
        #expect(p.stages[2].command == .shell(["run sgd 1"]))
    }

    @Test func aMatrixAxisThatIsNotAListIsAnError() throws {
        let e = try #require(try loadError("stages:\n  a:\n    matrix:\n      x: 3\n    cmd: y\n"))
        #expect(e.code == .invalidValue)
        #expect(e.keyPath == "stages.a.matrix.x")
    }

    @Test func stageVarsAreLocalToTheStage() throws {
        let p = try loadPipeline("""
            stages:
              a:
                vars:
                  - model: {file: m.bin}
                cmd: save ${model.file}
              b:
                cmd: echo b
            """)
        #expect(p.stages[0].command == .shell(["save m.bin"]))
        let e = try #require(try loadError("stages:\n  a:\n    vars: [{v: 1}]\n    cmd: x\n  b:\n    cmd: ${v}\n"))
        #expect(e.code == .unresolvedVariable)
        #expect(e.keyPath == "stages.b.cmd")
    }

    @Test func aListMixingScalarsAndMappingsIsNamedByIndexThroughout() throws {
        let p = try loadPipeline("stages:\n  a:\n    foreach:\n      - plain\n      - {k: v}\n    do:\n      cmd: echo hi\n")
        #expect(p.stages.map(\.name) == ["a@0", "a@1"])
    }

    @Test func foreachScalarsOfEveryTypeNameStagesByTheirText() throws {
        let p = try loadPipeline("stages:\n  a:\n    foreach: [true, 1.5, 7]\n    do:\n      cmd: echo ${item}\n")
        #expect(p.stages.map(\.name) == ["a@true", "a@1.5", "a@7"])
        #expect(p.stages[0].command == .shell(["echo true"]))
    }
}
