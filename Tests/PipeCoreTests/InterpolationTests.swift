import Foundation
import Testing
@testable import PipeCore

@Suite struct InterpolationTests {
    let params = """
        train:
          lr: 2e-4
          epochs: 3
          fast: true
          name: qwen
          layers: [8, 16]
        models:
          - {name: small, width: 64}
        """

    @Test func paramsYamlIsAvailableImplicitlyInAnyString() throws {
        let p = try loadPipeline("""
            stages:
              train:
                cmd: train --lr ${train.lr} --epochs ${ train.epochs } --fast=${train.fast}
                outs:
                  - models/${train.name}.bin
                desc: ${models[0].name} with ${train.layers[1]} and ${models.0.width}
            """, files: ["params.yaml": params])
        let s = p.stages[0]
        #expect(s.command == .shell(["train --lr 0.0002 --epochs 3 --fast=true"]))
        #expect(s.outs.map(\.path) == ["models/qwen.bin"])
        #expect(s.desc == "small with 16 and 64")
    }

    @Test func aWholeStringExpressionKeepsTheValueType() throws {
        let p = try loadPipeline("""
            vars:
              - flags: {frozen: true, args: [--a, 1]}
            stages:
              a:
                plugin: run
                args: ${flags.args}
                frozen: ${flags.frozen}
            """)
        #expect(p.stages[0].frozen)
        #expect(p.stages[0].command == .plugin(name: "run", args: ["--a", "1"]))
    }

    @Test func inlineAndFileVarsMergeWithParams() throws {
        let p = try loadPipeline("""
            vars:
              - config/extra.json
              - local: {dir: out}
              - more.yaml:keep
            stages:
              a:
                cmd: echo ${train.epochs} ${extra.n} ${local.dir} ${keep}
            """, files: ["params.yaml": params, "config/extra.json": "{\"extra\": {\"n\": 5}}",
                         "more.yaml": "keep: k\ndrop: d\n"])
        #expect(p.stages[0].command == .shell(["echo 3 5 out k"]))
    }

    @Test func varsSelectingAKeyDropsTheRest() throws {
        let e = try #require(try loadError("vars: [more.yaml:keep]\nstages:\n  a:\n    cmd: echo ${drop}\n",
                                           files: ["more.yaml": "keep: k\ndrop: d\n"]))
        #expect(e.code == .unresolvedVariable)
    }

    @Test func redefiningAVariableFromAnotherSourceIsAnError() throws {
        let e = try #require(try loadError("vars:\n  - train: {epochs: 9}\nstages:\n  a:\n    cmd: x\n",
                                           files: ["params.yaml": params]))
        #expect(e.code == .invalidValue)
        #expect(e.message.contains("train.epochs"))
        #expect(e.message.contains("params.yaml"))
        // Disjoint keys of the same mapping merge.
        let p = try loadPipeline("vars:\n  - train: {extra: 1}\nstages:\n  a:\n    cmd: ${train.extra} ${train.epochs}\n",
                                 files: ["params.yaml": params])
        #expect(p.stages[0].command == .shell(["1 3"]))
    }

    @Test func anUnresolvedVariableNamesItsLocationAndTheClosestName() throws {
        let e = try #require(try loadError("""
            stages:
              train:
                cmd: python train.py
                deps:
                  - data/${train.nmae}.txt
            """, files: ["params.yaml": params]))
        #expect(e.code == .unresolvedVariable)
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 5, column: 14))
        #expect(e.keyPath == "stages.train.deps[0]")
        #expect(e.message.contains("${train.nmae}"))
        #expect(e.description.contains("did you mean 'name'?"))
    }

    @Test func anErrorPointsAtTheExpressionInsideAQuotedString() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: \"run ${ok} ${nope}\"\n", files: ["params.yaml": "ok: 1\n"]))
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 3, column: 21))
    }

    @Test func aMappingInCmdIsUnpackedIntoArgumentsAsDVCDoes() throws {
        let p = try loadPipeline("""
            stages:
              a:
                cmd: R train.r ${mydict}
              b:
                cmd:
                  - echo first
                  - ${mydict}
            """, files: ["params.yaml": """
                mydict:
                  foo: foo
                  bar: 1
                  bool: true
                  off: false
                  nested:
                    baz: bar
                  list: [2, 3, 'qux', 'two words']
                  msg: it's here
                """])
        let expected = "--foo foo --bar 1 --bool --nested.baz bar --list 2 3 qux 'two words' --msg 'it'\"'\"'s here'"
        #expect(p.stages[0].command == .shell(["R train.r " + expected]))
        #expect(p.stages[1].command == .shell(["echo first", expected]))
        let nested = try #require(try loadError("stages:\n  a:\n    cmd: run ${d}\n", files: ["params.yaml": "d:\n  l: [[1]]\n"]))
        #expect(nested.code == .invalidValue)
        let outsideCmd = try #require(try loadError("stages:\n  a:\n    cmd: x\n    desc: about ${d}\n", files: ["params.yaml": "d: {a: 1}\n"]))
        #expect(outsideCmd.code == .invalidValue)
    }

    @Test func aListInsideLongerTextIsAnError() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: run ${train.layers}\n", files: ["params.yaml": params]))
        #expect(e.code == .invalidValue)
        #expect(e.keyPath == "stages.a.cmd")
    }

    @Test func aBackslashEscapesTheExpression() throws {
        let p = try loadPipeline(#"stages:\n  a:\n    cmd: echo \${HOME} ${train.epochs}\n"#.replacingOccurrences(of: "\\n", with: "\n"),
                                 files: ["params.yaml": params])
        #expect(p.stages[0].command == .shell(["echo ${HOME} 3"]))
    }

    @Test func paramsFileValuesUsedInExpressionsBecomeTrackedParams() throws {
        let p = try loadPipeline("""
            vars:
              - inline: {n: 1}
              - extra.json
            stages:
              a:
                cmd: run ${train.lr} ${inline.n} ${extra.k} ${train.layers[0]}
              b:
                foreach: [x]
                do:
                  cmd: run ${item} ${train.epochs}
                  params: [train]
            """, files: ["params.yaml": params, "extra.json": "{\"extra\": {\"k\": \"v\"}}"])
        #expect(p.stages[0].params == [ParamReference(file: "extra.json", key: "extra.k"),
                                       ParamReference(file: "params.yaml", key: "train.lr")])
        #expect(p.stages[1].params == [ParamReference(file: "params.yaml", key: "train")])
        #expect(p.paramsFiles["extra.json"]?.value(at: "extra.k") == .string("v"))
        #expect(p.paramValues(for: p.stages[0])["params.yaml"]?.first?.1 == .double(2e-4))
    }

    @Test func expressionsAreParsedIntoKeysAndIndexes() {
        #expect(TemplateContext.parse(expression: "a.b[0].c") == [.key("a"), .key("b"), .index(0), .key("c")])
        #expect(TemplateContext.parse(expression: "a[1][2]") == [.key("a"), .index(1), .index(2)])
        #expect(TemplateContext.parse(expression: "a..b") == nil)
        #expect(TemplateContext.parse(expression: "") == nil)
        #expect(TemplateContext.parse(expression: "[0]") == nil)
    }

    @Test func aMalformedOrUnclosedExpressionIsAnError() throws {
        let bad = try #require(try loadError("stages:\n  a:\n    cmd: echo ${a..b}\n"))
        #expect(bad.code == .invalidValue)
        let open = try #require(try loadError("stages:\n  a:\n    cmd: echo ${a\n"))
        #expect(open.code == .invalidValue)
    }

    @Test func interpolatedParamsAndOutputKeysResolve() throws {
        let p = try loadPipeline("""
            stages:
              a:
                cmd: x
                outs:
                  - models/${train.name}:
                      persist: true
                params:
                  - train.${train.name}_lr
            """, files: ["params.yaml": "train:\n  name: qwen\n  qwen_lr: 1\n"])
        #expect(p.stages[0].outs == [Output(path: "models/qwen", persist: true)])
        #expect(p.stages[0].params == [ParamReference(file: "params.yaml", key: "train.name"),
                                       ParamReference(file: "params.yaml", key: "train.qwen_lr")])
    }
}
