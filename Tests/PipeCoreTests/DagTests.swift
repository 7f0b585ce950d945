import Foundation
import Testing
@testable import PipeCore

@Suite struct DagTests {
    /// Arrowheads: `v` on lines made only of drawing characters (labels may contain a `v` too).
    func arrows(_ text: String) -> Int {
        text.split(separator: "\n").filter { $0.allSatisfy { " |+-v".contains($0) } }
            .map { $0.filter { $0 == "v" }.count }.reduce(0, +)
    }

    /// a feeds b, c, e; b and c feed d; `lonely` stands apart.
    func diamond() throws -> StageGraph {
        try StageGraph(pipeline: Pipeline(stages: [
            stage("a", outs: ["a.out"]), stage("b", deps: ["a.out"], outs: ["b.out"]),
            stage("c", deps: ["a.out"], outs: ["c.out"]), stage("d", deps: ["b.out", "c.out"], outs: ["d.out"]),
            stage("e", deps: ["a.out"], outs: ["e.out"]), stage("lonely"),
        ]))
    }

    /// The shipped triage pipeline's shape: twelve stages with edges skipping layers.
    func triage() throws -> StageGraph {
        try StageGraph(pipeline: Pipeline(stages: [
            stage("download", outs: ["data/raw"]),
            stage("normalize", deps: ["data/raw"], outs: ["data/norm"]),
            stage("clean", deps: ["data/norm"], outs: ["data/clean"]),
            stage("anonymize", deps: ["data/clean"], outs: ["data/anon"]),
            stage("tokenize", deps: ["data/anon", "tok.json"], outs: ["data/tok"]),
            stage("split", deps: ["data/tok"], outs: ["data/train", "data/val", "data/test"]),
            stage("pretrain", deps: ["data/train"], outs: ["models/base"]),
            stage("sft", deps: ["data/train", "models/base"], outs: ["models/sft"]),
            stage("dpo", deps: ["data/train", "models/sft"], outs: ["models/dpo"]),
            stage("merge", deps: ["models/dpo", "models/base"], outs: ["models/merged"]),
            stage("evaluate", deps: ["models/merged", "data/test", "data/val"], outs: ["metrics.json"]),
            stage("report", deps: ["metrics.json", "data/clean"], outs: ["report.md"]),
        ]))
    }

    @Test func asciiDrawsLayeredBoxesWithEveryEdge() throws {
        let text = try DagRenderer.render(try diamond())
        #expect(text == """
            +---+   +--------+
            | a |   | lonely |
            +---+   +--------+
              |
              +-------+-------+
              v       v       v
            +---+   +---+   +---+
            | b |   | c |   | e |
            +---+   +---+   +---+
              |       |
              +-+   +-+
                v   v
               +-----+
               | d   |
               +-----+

            """)
    }

    @Test func asciiMarksStaleStagesAndExplainsTheMarker() throws {
        let text = try DagRenderer.render(try diamond(), options: DagOptions(stale: ["c"]))
        #expect(text.contains("| c * |"))
        #expect(text.hasSuffix("(* = stale)\n"))
        #expect(!(try DagRenderer.render(try diamond())).contains("stale"))
    }

    @Test func asciiOfTheTriagePipelineHasOneArrowPerEdgeAndEveryStage() throws {
        let g = try triage()
        let text = try DagRenderer.render(g)
        #expect(arrows(text) == g.edges.count)
        for name in g.order { #expect(text.contains("| \(name) ")) }
        // Layered top to bottom in topological order.
        let rows = g.order.map { name in text.components(separatedBy: "\n").firstIndex { $0.contains("| \(name) ") }! }
        #expect(rows == rows.sorted())
        #expect(text == (try DagRenderer.render(try triage())))
    }

    @Test func aTargetRestrictsTheDrawingToItsUpstream() throws {
        let view = try DagView(graph: try diamond(), options: DagOptions(target: "d"))
        #expect(view.nodes.map(\.name) == ["a", "b", "c", "d"])
        #expect(view.edges.count == 4)
        let text = try DagRenderer.render(try diamond(), options: DagOptions(target: "b"))
        #expect(text.contains("| a |") && text.contains("| b |") && !text.contains("| c |") && !text.contains("lonely"))
    }

    @Test func anUnknownTargetSuggestsAStage() throws {
        let e = #expect(throws: PipeError.self) { _ = try DagRenderer.render(try diamond(), options: DagOptions(target: "lonley")) }
        #expect(e?.code == .unknownStage)
        #expect(e?.description.contains("did you mean 'lonely'?") == true)
    }

    @Test func outsModeDrawsFilesLinkedThroughTheStagesThatReadThem() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [
            stage("split", outs: ["data/train", "data/val"]),
            stage("train", deps: ["data/train"], outs: ["model", "log.csv"]),
            stage("eval", deps: ["model", "data"], outs: ["metrics.json"]),
        ]))
        let view = try DagView(graph: g, options: DagOptions(outs: true, stale: ["train"]))
        #expect(view.nodes.map(\.name) == ["data/train", "data/val", "model", "log.csv", "metrics.json"])
        #expect(view.nodes.map(\.stale) == [false, false, true, true, false])
        let pairs = view.edges.map { "\(view.nodes[$0.from].name)>\(view.nodes[$0.to].name)" }
        #expect(pairs == ["data/train>model", "data/train>log.csv", "data/train>metrics.json",
                          "data/val>metrics.json", "model>metrics.json"])
        let text = try DagRenderer.render(g, options: DagOptions(outs: true))
        #expect(text.contains("| metrics.json |"))
        #expect(arrows(text) == 5)
    }

    @Test func dotListsNodesThenEdges() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [stage("a", outs: ["x"]), stage("b", deps: ["x"])]))
        #expect(try DagRenderer.render(g, options: DagOptions(format: .dot, stale: ["b"])) == """
            strict digraph {
            \t"a";
            \t"b" [label="b *", color=red];
            \t"a" -> "b";
            }

            """)
    }

    @Test func mermaidAndMarkdownNumberNodesInOrder() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [stage("a", outs: ["x"]), stage("b", deps: ["x"])]))
        let mermaid = try DagRenderer.render(g, options: DagOptions(format: .mermaid, stale: ["a"]))
        #expect(mermaid == """
            flowchart TD
            \tnode1["a"]
            \tnode2["b"]
            \tnode1-->node2
            \tclassDef stale stroke:#d33,stroke-width:3px
            \tclass node1 stale

            """)
        let md = try DagRenderer.render(g, options: DagOptions(format: .md, stale: ["a"]))
        #expect(md == "```mermaid\n" + mermaid + "```\n")
    }

    @Test func jsonIsStableAndParseable() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [stage("a", outs: ["x"]), stage("b \"q\"", deps: ["x"])]))
        let text = try DagRenderer.render(g, options: DagOptions(format: .json))
        #expect(text == """
            {
              "nodes": [
                {"name": "a", "stage": "a", "stale": false},
                {"name": "b \\"q\\"", "stage": "b \\"q\\"", "stale": false}
              ],
              "edges": [
                {"from": "a", "to": "b \\"q\\""}
              ]
            }

            """)
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect((object?["edges"] as? [Any])?.count == 1)
        let empty = try DagRenderer.render(try StageGraph(pipeline: Pipeline(stages: [])), options: DagOptions(format: .json))
        #expect(empty == "{\n  \"nodes\": [],\n  \"edges\": []\n}\n")
    }

    @Test func linesIntoOneBoxKeepTheirParentsOrderAndAvoidOtherColumns() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [
            stage("r1", outs: ["1"]), stage("r2", outs: ["2"]), stage("r3", outs: ["3"]), stage("r4", outs: ["4"]),
            stage("mid", deps: ["1"], outs: ["m"]),
            stage("x", deps: ["1", "2", "3", "4", "m"], outs: ["x"]),
            stage("y", deps: ["x", "2"], outs: ["y"]),
            stage("z", deps: ["x", "1"]),
        ]))
        let text = try DagRenderer.render(g)
        #expect(arrows(text) == g.edges.count)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let arrowLine = try #require(lines.firstIndex { $0.contains("| x ") }) - 2
        #expect(lines[arrowLine].filter { $0 == "v" }.count == 5)
    }

    @Test func anEmptyPipelineDrawsANote() throws {
        #expect(try DagRenderer.render(try StageGraph(pipeline: Pipeline(stages: []))) == "(no stages)\n")
    }
}
