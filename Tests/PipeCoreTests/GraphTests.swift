import Foundation
import Testing
@testable import PipeCore

@Suite struct GraphTests {
    /// download → normalize → clean → tokenize → {sft, eval}; report reads clean and sft.
    func sample() throws -> StageGraph {
        try StageGraph(pipeline: Pipeline(stages: [
            stage("report", deps: ["data/clean", "models/sft"], outs: ["report.md"]),
            stage("download", outs: ["data/raw"]),
            stage("normalize", deps: ["data/raw/en.jsonl"], outs: ["data/norm"]),
            stage("clean", deps: ["data/norm"], outs: ["data/clean"]),
            stage("tokenize", deps: ["data/clean", "tokenizer.json"], outs: ["data/tok/train.bin", "data/tok/val.bin"]),
            stage("sft", deps: ["data/tok"], outs: ["models/sft"]),
            stage("eval", deps: ["data/tok/val.bin", "models/sft/adapter.safetensors"], outs: ["metrics.json"]),
        ]))
    }

    @Test func edgesFollowEqualEnclosedAndContainedPaths() throws {
        let g = try sample()
        #expect(g.parents(of: "normalize") == ["download"])        // dep inside an out dir
        #expect(g.parents(of: "sft") == ["tokenize"])              // dep dir containing outs
        #expect(g.parents(of: "eval") == ["tokenize", "sft"])      // file order
        #expect(g.parents(of: "report") == ["clean", "sft"])
        #expect(g.children(of: "clean") == ["report", "tokenize"])
        #expect(g.parents(of: "download").isEmpty)
        #expect(g.parents(of: "nope").isEmpty)
    }

    @Test func orderIsTopologicalAndStable() throws {
        let g = try sample()
        #expect(g.order == ["download", "normalize", "clean", "tokenize", "sft", "report", "eval"])
        let again = try sample()
        #expect(again.order == g.order)
        for edge in g.edges {
            #expect(g.order.firstIndex(of: edge.from)! < g.order.firstIndex(of: edge.to)!)
        }
    }

    @Test func independentStagesKeepFileOrder() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [stage("c"), stage("a"), stage("b")]))
        #expect(g.order == ["c", "a", "b"])
        #expect(g.edges.isEmpty)
    }

    @Test func upstreamAndDownstreamAreTransitiveInTopologicalOrder() throws {
        let g = try sample()
        #expect(g.upstream(of: "eval") == ["download", "normalize", "clean", "tokenize", "sft"])
        #expect(g.upstream(of: "download").isEmpty)
        #expect(g.downstream(of: "clean") == ["tokenize", "sft", "report", "eval"])
        #expect(g.downstream(of: "eval").isEmpty)
    }

    @Test func producerOfAPathFindsTheOutOrTheOutDirectory() throws {
        let g = try sample()
        #expect(g.producer(ofPath: "data/raw")?.stage == "download")
        #expect(g.producer(ofPath: "data/raw/fr/x.jsonl")?.output.path == "data/raw")
        #expect(g.producer(ofPath: "data/tok/val.bin")?.stage == "tokenize")
        #expect(g.producer(ofPath: "data/tok") == nil)
        #expect(g.producer(ofPath: "data/rawer") == nil)
        #expect(g.producers(ofDep: "data/tok").map(\.output.path) == ["data/tok/train.bin", "data/tok/val.bin"])
    }

    @Test func aCycleNamesItsPathStartingFromTheEarliestStage() {
        let e = #expect(throws: PipeError.self) {
            _ = try StageGraph(pipeline: Pipeline(stages: [
                stage("x", deps: ["free"], outs: ["x.out"]),
                stage("b", deps: ["a.out"], outs: ["b.out"]),
                stage("a", deps: ["c.out"], outs: ["a.out"]),
                stage("c", deps: ["b.out"], outs: ["c.out"]),
            ]))
        }
        #expect(e?.code == .cycle)
        #expect(e?.message.contains("b → c → a → b") == true)
        #expect(e?.message.contains("'c' reads 'b.out' from 'b'") == true)
    }

    @Test func edgesListEveryDependencyOnce() throws {
        let g = try sample()
        #expect(g.edges.count == 8)
        #expect(Set(g.edges.map { "\($0.from)>\($0.to)" }).count == 8)
        #expect(g.edges.contains(StageGraph.Edge(from: "sft", to: "eval")))
    }

    @Test func targetsNameAStageOrAForeachGroup() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [stage("train@a"), stage("train@b"), stage("prep")]))
        #expect(try g.stageNames(matching: "prep") == ["prep"])
        #expect(try g.stageNames(matching: "train") == ["train@a", "train@b"])
        let e = #expect(throws: PipeError.self) { _ = try g.stageNames(matching: "trian") }
        #expect(e?.code == .unknownStage)
        #expect(e?.description.contains("did you mean 'train'?") == true)
    }

    @Test func aLongChainBuildsWithoutRecursionLimits() throws {
        let n = 20_000
        let stages = (0..<n).map { i in stage("s\(i)", deps: i == 0 ? [] : ["o\(i - 1)"], outs: ["o\(i)"]) }
        let g = try StageGraph(pipeline: Pipeline(stages: stages.reversed()))
        #expect(g.order.first == "s0")
        #expect(g.order.last == "s\(n - 1)")
        #expect(g.upstream(of: "s\(n - 1)").count == n - 1)
    }

    @Test func aStageWritingAParamsFileFeedsTheStagesReadingIt() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [
            Stage(name: "use", command: .shell(["x"]), params: [ParamReference(file: "tuned.yaml", key: "lr")]),
            stage("tune", outs: ["tuned.yaml"]),
        ]))
        #expect(g.parents(of: "use") == ["tune"])
        #expect(g.order == ["tune", "use"])
    }
}
