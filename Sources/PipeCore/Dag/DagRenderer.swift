import Foundation
import PipeBasics

/// Renders the stage graph (or its outputs) as text: ASCII boxes, Graphviz dot, Mermaid, Markdown or JSON.
///
/// Pure: a graph and options in, a String out (ending with a newline), identical for identical inputs.
public enum DagRenderer {
    /// Renders `graph` as `options` ask.
    ///
    /// - Throws: `.unknownStage` when `options.target` names no stage or group.
    public static func render(_ graph: StageGraph, options: DagOptions = DagOptions()) throws -> String {
        let view = try DagView(graph: graph, options: options)
        switch options.format {
        case .ascii: return AsciiDagLayout(view: view).render()
        case .dot: return dot(view)
        case .mermaid: return mermaid(view)
        case .md: return "```mermaid\n" + mermaid(view) + "```\n"
        case .json: return json(view)
        }
    }

    /// Graphviz: `strict digraph { "a"; "b"; "a" -> "b"; }`, stale nodes drawn red and labelled `*`.
    static func dot(_ view: DagView) -> String {
        var lines = ["strict digraph {"]
        for node in view.nodes {
            let quoted = dotQuote(node.name)
            lines.append(node.stale ? "\t\(quoted) [label=\(dotQuote(node.name + " *")), color=red];" : "\t\(quoted);")
        }
        for edge in view.edges {
            lines.append("\t\(dotQuote(view.nodes[edge.from].name)) -> \(dotQuote(view.nodes[edge.to].name));")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func dotQuote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Mermaid: `flowchart TD` with `nodeN["name"]` nodes (numbered in node order) and a `stale` class.
    static func mermaid(_ view: DagView) -> String {
        var lines = ["flowchart TD"]
        for (i, node) in view.nodes.enumerated() {
            let label = node.name.replacingOccurrences(of: "\"", with: "#quot;")
            lines.append("\tnode\(i + 1)[\"\(label)\"]")
        }
        for edge in view.edges { lines.append("\tnode\(edge.from + 1)-->node\(edge.to + 1)") }
        let stale = view.nodes.indices.filter { view.nodes[$0].stale }
        if !stale.isEmpty {
            lines.append("\tclassDef stale stroke:#d33,stroke-width:3px")
            lines.append("\tclass " + stale.map { "node\($0 + 1)" }.joined(separator: ",") + " stale")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON, two-space indented, keys in a fixed order:
    /// `{"nodes": [{"name", "stage", "stale"}], "edges": [{"from", "to"}]}` (edges by node name).
    static func json(_ view: DagView) -> String {
        var out = "{\n  \"nodes\": ["
        out += view.nodes.map { node in
            "\n    {\"name\": \(JSONString.quote(node.name)), \"stage\": \(JSONString.quote(node.stage)), \"stale\": \(node.stale)}"
        }.joined(separator: ",")
        out += view.nodes.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"edges\": ["
        out += view.edges.map { edge in
            "\n    {\"from\": \(JSONString.quote(view.nodes[edge.from].name)), \"to\": \(JSONString.quote(view.nodes[edge.to].name))}"
        }.joined(separator: ",")
        out += view.edges.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}
