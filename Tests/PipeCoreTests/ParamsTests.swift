import Foundation
import Testing
@testable import PipeCore

@Suite struct ParamsTests {
    @Test func yamlScalarsAreTypedWithTheCoreSchema() throws {
        let node = try YAMLReader.parse("""
            lr: 2e-4
            warm: 1.5E+3
            dot: .5
            epochs: 3
            neg: -7
            hex: 0x1f
            on: yes
            flag: true
            nothing: ~
            empty:
            quoted: "42"
            single: '1e-4'
            text: hello
            inf: .inf
            tagged: !!str 12
            """, file: "params.yaml")
        let v = node.value
        #expect(v.value(at: "lr") == .double(2e-4))
        #expect(v.value(at: "warm") == .double(1500))
        #expect(v.value(at: "dot") == .double(0.5))
        #expect(v.value(at: "epochs") == .int(3))
        #expect(v.value(at: "neg") == .int(-7))
        #expect(v.value(at: "hex") == .int(31))
        #expect(v.value(at: "on") == .string("yes"))
        #expect(v.value(at: "flag") == .bool(true))
        #expect(v.value(at: "nothing") == .null)
        #expect(v.value(at: "empty") == .null)
        #expect(v.value(at: "quoted") == .string("42"))
        #expect(v.value(at: "single") == .string("1e-4"))
        #expect(v.value(at: "text") == .string("hello"))
        #expect(v.value(at: "inf") == .double(.infinity))
        #expect(v.value(at: "tagged") == .string("12"))
        if case let .int(i) = v.value(at: "epochs") { #expect(i == 3) } else { Issue.record("epochs is not an int") }
        if case .double = v.value(at: "lr") {} else { Issue.record("2e-4 is not a float") }
    }

    @Test func yamlAnchorsAndMergeKeysExpand() throws {
        let v = try YAMLReader.parse("""
            base: &base
              lr: 0.1
              epochs: 3
            extra: &extra
              epochs: 9
              seed: 1
            sft:
              <<: [*base, *extra]
              lr: 0.2
            copy: *base
            """, file: "params.yaml").value
        #expect(v.value(at: "sft.lr") == .double(0.2))
        #expect(v.value(at: "sft.epochs") == .int(3))
        #expect(v.value(at: "sft.seed") == .int(1))
        #expect(v.value(at: "copy.epochs") == .int(3))
        guard case let .dict(pairs)? = v.value(at: "sft") else { Issue.record("sft is not a mapping"); return }
        #expect(pairs.map(\.0) == ["epochs", "seed", "lr"])
    }

    @Test func yamlParamsKeepTheirKeyOrder() throws {
        let v = try YAMLReader.parse("z: 1\na: 2\nm: {y: 1, b: 2}\n", file: "p.yaml").value
        guard case let .dict(pairs) = v, case let .dict(inner)? = v.value(at: "m") else {
            Issue.record("not a mapping"); return
        }
        #expect(pairs.map(\.0) == ["z", "a", "m"])
        #expect(inner.map(\.0) == ["y", "b"])
    }

    @Test func jsonParamsParseWithTypesOrderAndEscapes() throws {
        let v = try JSONReader.parse("""
            {"train": {"lr": 2e-4, "epochs": 3, "ratio": 1.0, "name": "a\\"b\\u00e9\\n", "on": true, "off": null},
             "list": [1, [2, 3], {"k": -0.5}], "b": false}
            """, file: "p.json").value
        guard case let .dict(pairs) = v else { Issue.record("not a mapping"); return }
        #expect(pairs.map(\.0) == ["train", "list", "b"])
        #expect(v.value(at: "train.lr") == .double(2e-4))
        if case .int(3)? = v.value(at: "train.epochs") {} else { Issue.record("epochs is not the int 3") }
        if case .double(1.0)? = v.value(at: "train.ratio") {} else { Issue.record("1.0 is not a float") }
        #expect(v.value(at: "train.name") == .string("a\"bé\n"))
        #expect(v.value(at: "train.on") == .bool(true))
        #expect(v.value(at: "train.off") == .null)
        #expect(v.value(at: "list.1.0") == .int(2))
        #expect(v.value(at: "list.2.k") == .double(-0.5))
        #expect(v.value(at: "b") == .bool(false))
    }

    @Test func malformedJSONNamesLineAndColumn() throws {
        let e = #expect(throws: PipeError.self) { _ = try JSONReader.parse("{\n  \"a\": 1,\n  \"b\": tru\n}", file: "p.json") }
        #expect(e?.code == .yamlSyntax)
        #expect(e?.location?.line == 3)
        #expect(e?.description.hasPrefix("p.json:3:") == true)
        let dup = #expect(throws: PipeError.self) { _ = try JSONReader.parse("{\"a\": 1, \"a\": 2}", file: "p.json") }
        #expect(dup?.message.contains("duplicate key 'a'") == true)
    }

    @Test func aStageCanDeclareKeysSectionsAndWholeFilesFromYAMLAndJSON() throws {
        let p = try loadPipeline("""
            stages:
              train:
                cmd: x
                params:
                  - train.lr
                  - data
                  - config.json: [model.width]
                  - extra.yaml:
                  - other.yaml: []
            """, files: [
                "params.yaml": "train:\n  lr: 0.001\ndata:\n  seed: 7\n",
                "config.json": "{\"model\": {\"width\": 64}}",
                "extra.yaml": "a: 1\nb: 2\n",
                "other.yaml": "c: 3\n",
            ])
        let s = p.stages[0]
        #expect(s.params == [
            ParamReference(file: "config.json", key: "model.width"),
            ParamReference(file: "extra.yaml", key: nil),
            ParamReference(file: "other.yaml", key: nil),
            ParamReference(file: "params.yaml", key: "data"),
            ParamReference(file: "params.yaml", key: "train.lr"),
        ])
        #expect(Set(p.paramsFiles.keys) == ["params.yaml", "config.json", "extra.yaml", "other.yaml"])
        let values = p.paramValues(for: s)
        #expect(values["config.json"]?.first?.1 == .int(64))
        #expect(values["extra.yaml"]?.map(\.0) == ["a", "b"])
        #expect(values["params.yaml"]?.first { $0.0 == "data" }?.1 == .dict([("seed", .int(7))]))
    }

    @Test func aMissingParamNamesTheFileTheKeyAndWhereItIsDeclared() throws {
        let e = try #require(try loadError("""
            stages:
              sft:
                cmd: x
                params:
                  - sft.epochs
                  - sft.lrr
            """, files: ["params.yaml": "sft:\n  epochs: 1\n  lr: 2e-4\n"]))
        #expect(e.code == .missingParam)
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 6, column: 9))
        #expect(e.keyPath == "stages.sft.params[1]")
        #expect(e.message.contains("sft.lrr"))
        #expect(e.message.contains("params.yaml"))
        #expect(e.description.contains("did you mean 'sft.lr'?"))
    }

    @Test func aMissingParamsFileIsReportedAtItsDeclaration() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n    params:\n      - conf.yaml: [k]\n"))
        #expect(e.code == .missingParamsFile)
        #expect(e.location == SourceLocation(file: "pipeline.yaml", line: 5, column: 9))
        #expect(e.message.contains("conf.yaml"))
        let implicit = try #require(try loadError("stages:\n  a:\n    cmd: x\n    params: [lr]\n"))
        #expect(implicit.code == .missingParamsFile)
        #expect(implicit.keyPath == "stages.a.params[0]")
    }

    @Test func aParamsFileThatIsNotAMappingIsRefused() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n    params: [lr]\n", files: ["params.yaml": "- 1\n- 2\n"]))
        #expect(e.code == .invalidValue)
        #expect(e.location?.file == "params.yaml")
    }

    @Test func aSyntaxErrorInAParamsFilePointsIntoThatFile() throws {
        let e = try #require(try loadError("stages:\n  a:\n    cmd: x\n    params: [lr]\n", files: ["params.yaml": "lr: [1, 2\n"]))
        #expect(e.code == .yamlSyntax)
        #expect(e.location?.file == "params.yaml")
    }
}
