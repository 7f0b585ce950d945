import PipeBasics
/// The dependency graph of a pipeline's stages: an edge runs from the stage producing a path to each stage
/// that depends on it.
///
/// A dep is produced by a stage when it equals one of that stage's outs, lies inside an out directory, or is a
/// directory containing an out. A stage's params files count as deps (DVC does the same). Building the graph also rejects two stages declaring the same out
/// (`.duplicateOut`), an out inside another out (`.overlappingOut`) and cycles (`.cycle`, naming the path).
///
/// Complexity: building is O(V + E + P) for V stages, E edges and P path components over all deps and outs
/// (each path is looked up through its ancestors in hash maps); `order` is then free, `parents`/`children` are
/// O(degree), `upstream`/`downstream` O(V + E), `producer(ofPath:)` O(depth of the path).
public struct StageGraph: Sendable {
    /// The pipeline the graph was built from.
    public let pipeline: Pipeline
    /// Stage names in a stable topological order: every stage after all of its upstream stages. A depth-first
    /// walk visiting stages (and each stage's parents) in file order, so the order depends only on the file.
    public let order: [String]

    /// Where one output is declared: stage index and output index in that stage.
    struct OutRef: Sendable, Hashable {
        var stage: Int
        var out: Int
    }

    private let indexByName: [String: Int]
    /// Parent stage indexes of each stage (the producers of its deps), ascending file order.
    private let parentIndexes: [[Int]]
    /// Child stage indexes of each stage, ascending file order.
    private let childIndexes: [[Int]]
    /// Topological position of each stage index.
    private let position: [Int]
    private let outByPath: [String: OutRef]
    /// For every directory that holds declared outs below it, those outs.
    private let outsBelow: [String: [OutRef]]

    /// Builds the graph; throws `.duplicateOut`, `.overlappingOut`, `.cycle` or `.invalidValue` (duplicate names).
    public init(pipeline: Pipeline) throws {
        self.pipeline = pipeline
        let stages = pipeline.stages
        var indexByName: [String: Int] = [:]
        for (i, stage) in stages.enumerated() {
            if indexByName[stage.name] != nil {
                throw PipeError(.invalidValue, "stage '\(stage.name)' is defined twice", fix: "rename one of them",
                                location: stage.location, keyPath: "stages.\(stage.name)")
            }
            indexByName[stage.name] = i
        }
        self.indexByName = indexByName

        var outByPath: [String: OutRef] = [:]
        for (s, stage) in stages.enumerated() {
            for (o, out) in stage.outs.enumerated() {
                if let other = outByPath[out.path] {
                    let owner = stages[other.stage].name
                    throw PipeError(.duplicateOut,
                                    owner == stage.name
                                        ? "stage '\(stage.name)' declares the output '\(out.path)' twice"
                                        : "output '\(out.path)' is declared by both '\(owner)' and '\(stage.name)'",
                                    fix: "let exactly one stage produce '\(out.path)'",
                                    location: out.location ?? stage.location, keyPath: "stages.\(stage.name).outs")
                }
                outByPath[out.path] = OutRef(stage: s, out: o)
            }
        }
        var outsBelow: [String: [OutRef]] = [:]
        for path in outByPath.keys.sorted() {
            let ref = outByPath[path]!
            for ancestor in RepoPath.ancestors(of: path) {
                if let outer = outByPath[ancestor] {
                    let inner = stages[ref.stage], owner = stages[outer.stage]
                    throw PipeError(.overlappingOut,
                                    "output '\(path)' of stage '\(inner.name)' is inside output '\(ancestor)' of stage '\(owner.name)'",
                                    fix: "declare only the outer directory, or split it so no output contains another",
                                    location: inner.outs[ref.out].location ?? inner.location,
                                    keyPath: "stages.\(inner.name).outs")
                }
                outsBelow[ancestor, default: []].append(ref)
            }
            outsBelow[".", default: []].append(ref)
        }
        self.outByPath = outByPath
        self.outsBelow = outsBelow

        var parents = Array(repeating: [Int](), count: stages.count)
        var children = Array(repeating: [Int](), count: stages.count)
        var via: [Int: [Int: String]] = [:]  // consumer → producer → the dep path linking them
        for (s, stage) in stages.enumerated() {
            var seen = Set<Int>()
            // Params files are deps too (as in DVC): a stage writing a params file feeds the stages reading it.
            var reads = stage.deps.map { (path: $0.path, location: $0.location) }
            var paramFiles = Set<String>()
            for ref in stage.params where paramFiles.insert(ref.file).inserted { reads.append((ref.file, ref.location)) }
            for dep in reads {
                for ref in Self.producers(of: dep.path, outByPath: outByPath, outsBelow: outsBelow) {
                    if ref.stage == s {
                        throw PipeError(.cycle,
                                        "stage '\(stage.name)' depends on '\(dep.path)', which is its own output '\(stage.outs[ref.out].path)'",
                                        fix: "a stage cannot read what it writes: remove the dep or the output (use persist: true to keep an output between runs)",
                                        location: dep.location ?? stage.location, keyPath: "stages.\(stage.name).deps")
                    }
                    if seen.insert(ref.stage).inserted {
                        parents[s].append(ref.stage)
                        via[s, default: [:]][ref.stage] = dep.path
                    }
                }
            }
            parents[s].sort()
            for p in parents[s] { children[p].append(s) }
        }
        self.parentIndexes = parents
        self.childIndexes = children

        let sorted = try Self.topologicalOrder(stages: stages, parents: parents, via: via)
        var position = Array(repeating: 0, count: stages.count)
        for (k, s) in sorted.enumerated() { position[s] = k }
        self.position = position
        self.order = sorted.map { stages[$0].name }
    }

    /// Depth-first post-order over parents with an explicit stack (no recursion limit); a back edge is a cycle.
    private static func topologicalOrder(stages: [Stage], parents: [[Int]], via: [Int: [Int: String]]) throws -> [Int] {
        var state = Array(repeating: UInt8(0), count: stages.count)  // 0 new, 1 on the stack, 2 done
        var order: [Int] = []
        order.reserveCapacity(stages.count)
        for root in stages.indices where state[root] == 0 {
            var stack: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = stack.last {
                if top.next < parents[top.node].count {
                    stack[stack.count - 1].next += 1
                    let p = parents[top.node][top.next]
                    if state[p] == 0 {
                        state[p] = 1
                        stack.append((p, 0))
                    } else if state[p] == 1 {
                        let start = stack.firstIndex { $0.node == p }!
                        throw cycleError(chain: stack[start...].map(\.node), stages: stages, via: via)
                    }
                } else {
                    state[top.node] = 2
                    order.append(top.node)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// `chain` lists stages each depending on the next, the last depending on the first; the message shows the
    /// data flow (producer → consumer) starting from the earliest stage in the file, and the path each link reads.
    private static func cycleError(chain: [Int], stages: [Stage], via: [Int: [Int: String]]) -> PipeError {
        var flow = Array(chain.reversed())
        let first = flow.indices.min { flow[$0] < flow[$1] }!
        flow = Array(flow[first...] + flow[..<first])
        let closed = flow + [flow[0]]
        let names = closed.map { stages[$0].name }
        let links = zip(closed, closed.dropFirst()).map { producer, consumer in
            "'\(stages[consumer].name)' reads '\(via[consumer]?[producer] ?? "?")' from '\(stages[producer].name)'"
        }
        let head = stages[flow[0]]
        return PipeError(.cycle, "the pipeline has a cycle: \(names.joined(separator: " → ")) (\(links.joined(separator: ", ")))",
                         fix: "remove one of these dependencies so data flows one way",
                         location: head.location, keyPath: "stages.\(head.name)")
    }

    private static func producers(of path: String, outByPath: [String: OutRef], outsBelow: [String: [OutRef]]) -> [OutRef] {
        var result: [OutRef] = []
        if let exact = outByPath[path] { result.append(exact) }
        for ancestor in RepoPath.ancestors(of: path) {
            if let outer = outByPath[ancestor] { result.append(outer) }
        }
        result += outsBelow[path] ?? []
        return result
    }

    // MARK: queries

    /// All stages in file order.
    public var stages: [Stage] { pipeline.stages }

    /// The stage named `name`, if any.
    public func stage(named name: String) -> Stage? { indexByName[name].map { pipeline.stages[$0] } }

    /// The stages producing `name`'s deps, in file order; empty for an unknown name.
    public func parents(of name: String) -> [String] {
        guard let i = indexByName[name] else { return [] }
        return parentIndexes[i].map { pipeline.stages[$0].name }
    }

    /// The stages depending on `name`'s outputs, in file order; empty for an unknown name.
    public func children(of name: String) -> [String] {
        guard let i = indexByName[name] else { return [] }
        return childIndexes[i].map { pipeline.stages[$0].name }
    }

    /// Every stage `name` transitively depends on, in topological order, not including `name`. O(V + E).
    public func upstream(of name: String) -> [String] { reachable(from: name, through: parentIndexes) }

    /// Every stage transitively depending on `name`, in topological order, not including `name`. O(V + E).
    public func downstream(of name: String) -> [String] { reachable(from: name, through: childIndexes) }

    /// `upstream(of:)` in DVC's active graph, where a frozen stage is cut from its own deps: the walk reaches a
    /// frozen stage but not what is upstream of it, so `repro` of a stage below a frozen one never reruns what the
    /// frozen stage was built from. O(V + E).
    public func activeUpstream(of name: String) -> [String] {
        reachable(from: name, through: parentIndexes) { node, _ in !pipeline.stages[node].frozen }
    }

    /// `downstream(of:)` in DVC's active graph: a frozen stage is not downstream of its parents (nor, through it,
    /// its children), but a frozen start still reaches its children. O(V + E).
    public func activeDownstream(of name: String) -> [String] {
        reachable(from: name, through: childIndexes) { _, next in !pipeline.stages[next].frozen }
    }

    /// Every stage connected to `name` by edges in either direction (its weakly connected component: DVC's
    /// "pipeline" of a stage), in topological order, not including `name`. O(V + E).
    public func connected(to name: String) -> [String] {
        guard let start = indexByName[name] else { return [] }
        var seen = Set([start])
        var stack = [start]
        while let node = stack.popLast() {
            for next in parentIndexes[node] + childIndexes[node] where seen.insert(next).inserted { stack.append(next) }
        }
        seen.remove(start)
        return seen.sorted { position[$0] < position[$1] }.map { pipeline.stages[$0].name }
    }

    /// Breadth-first from `name`; `follows(node, next)` says whether the edge node → next is walked.
    private func reachable(from name: String, through adjacency: [[Int]],
                           follows: (Int, Int) -> Bool = { _, _ in true }) -> [String] {
        guard let start = indexByName[name] else { return [] }
        var seen = Set([start])
        var queue = [start]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            for next in adjacency[node] where follows(node, next) && seen.insert(next).inserted { queue.append(next) }
            head += 1
        }
        return queue.dropFirst().sorted { position[$0] < position[$1] }.map { pipeline.stages[$0].name }
    }

    /// The stage and output that produce `path`: the out equal to it or the out directory containing it.
    public func producer(ofPath path: String) -> (stage: String, output: Output)? {
        var candidates = [path]
        candidates += RepoPath.ancestors(of: path).reversed()
        for candidate in candidates {
            if let ref = outByPath[candidate] {
                let stage = pipeline.stages[ref.stage]
                return (stage.name, stage.outs[ref.out])
            }
        }
        return nil
    }

    /// Every output a dep on `path` reads: the producer of `path` (see `producer(ofPath:)`) or, when `path` is
    /// a directory, each declared output inside it. In file order of the producing stages.
    public func producers(ofDep path: String) -> [(stage: String, output: Output)] {
        Self.producers(of: path, outByPath: outByPath, outsBelow: outsBelow)
            .sorted { ($0.stage, $0.out) < ($1.stage, $1.out) }
            .map { (pipeline.stages[$0.stage].name, pipeline.stages[$0.stage].outs[$0.out]) }
    }

    /// One edge of the graph: `from` produces something `to` depends on.
    public struct Edge: Sendable, Hashable {
        /// The producing stage.
        public var from: String
        /// The stage reading what `from` produces.
        public var to: String
    }

    /// Every edge, ordered by the topological position of `to`, then of `from`.
    public var edges: [Edge] {
        var result: [Edge] = []
        for name in order {
            let i = indexByName[name]!
            for p in parentIndexes[i].sorted(by: { position[$0] < position[$1] }) {
                result.append(Edge(from: pipeline.stages[p].name, to: name))
            }
        }
        return result
    }

    /// The stages a command-line target names: the stage itself, or every stage a `foreach`/`matrix` group
    /// generated (`train` → `train@0`, `train@1`), in topological order.
    ///
    /// - Throws: `.unknownStage` with the closest stage name when nothing matches.
    public func stageNames(matching target: String) throws -> [String] {
        if indexByName[target] != nil { return [target] }
        let group = order.filter { $0.hasPrefix(target + "@") }
        if !group.isEmpty { return group }
        var fix = "run 'pipe dag' to list the stages"
        let groups = Set(pipeline.stages.compactMap { $0.name.split(separator: "@").first.map(String.init) })
        if let guess = DidYouMean.closest(to: target, in: Array(Set(order).union(groups))) {
            fix = "did you mean '\(guess)'? " + fix
        }
        throw PipeError(.unknownStage, "no stage named '\(target)' in \(pipeline.file)", fix: fix)
    }
}
