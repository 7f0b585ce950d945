/// The nodes and edges one `pipe dag` drawing shows, already filtered by target and mapped to stages or outputs.
///
/// Nodes are in topological order (stage order, then each stage's outputs in path order), edges point
/// downstream and are listed in node order; so every format renders the same graph in the same order.
public struct DagView: Sendable, Hashable {
    /// One drawn node: a stage, or in `outs` mode an output path.
    public struct Node: Sendable, Hashable {
        /// The stage name or output path.
        public var name: String
        /// The stage (the node itself, or the output's producer).
        public var stage: String
        /// Whether to mark the node stale.
        public var stale: Bool
    }

    /// One edge, by node index: `from` feeds `to`.
    public struct Edge: Sendable, Hashable {
        /// Index of the upstream node.
        public var from: Int
        /// Index of the downstream node.
        public var to: Int
    }

    /// Nodes in topological order.
    public var nodes: [Node]
    /// Edges between `nodes` indexes.
    public var edges: [Edge]

    /// Builds the view of `graph` for `options`. O(V + E) (plus outputs × deps in `outs` mode).
    ///
    /// - Throws: `.unknownStage` when the target names no stage or group.
    public init(graph: StageGraph, options: DagOptions) throws {
        var included = graph.order
        if let target = options.target {
            let targets = try graph.stageNames(matching: target)
            var keep = Set(targets)
            for t in targets { keep.formUnion(options.full ? graph.connected(to: t) : graph.upstream(of: t)) }
            included = graph.order.filter { keep.contains($0) }
        }
        let includedSet = Set(included)
        var nodes: [Node] = []
        var edges: [Edge] = []
        var seenEdges = Set<Edge>()
        func add(_ edge: Edge) { if seenEdges.insert(edge).inserted { edges.append(edge) } }

        if !options.outs {
            var index: [String: Int] = [:]
            for name in included {
                index[name] = nodes.count
                nodes.append(Node(name: name, stage: name, stale: options.stale.contains(name)))
            }
            for edge in graph.edges where includedSet.contains(edge.to) {
                if let from = index[edge.from], let to = index[edge.to] { add(Edge(from: from, to: to)) }
            }
        } else {
            var index: [String: Int] = [:]
            for name in included {
                guard let stage = graph.stage(named: name) else { continue }
                for out in stage.outs {
                    index[out.path] = nodes.count
                    nodes.append(Node(name: out.path, stage: name, stale: options.stale.contains(name)))
                }
            }
            for name in included {
                guard let stage = graph.stage(named: name) else { continue }
                for dep in stage.deps {
                    for producer in graph.producers(ofDep: dep.path) {
                        guard let from = index[producer.output.path] else { continue }
                        for out in stage.outs { add(Edge(from: from, to: index[out.path]!)) }
                    }
                }
            }
            edges.sort { ($0.to, $0.from) < ($1.to, $1.from) }
        }
        self.nodes = nodes
        self.edges = edges
    }
}
