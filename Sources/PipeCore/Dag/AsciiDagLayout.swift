import Foundation

/// Draws a `DagView` as ASCII boxes in layers, upstream at the top, like `dvc dag`.
///
/// Layout: layers by longest path (a source is pulled down next to its first consumer); barycentre sweeps
/// order each layer to reduce crossings; boxes are centred under their parents. Between two layers each parent
/// gets a horizontal track (`+----+`) joining its port to one port per child, and a parent directly above its
/// only child is a straight line. An edge skipping layers runs in a lane, a straight vertical line right of the
/// boxes. All ports in a band are distinct columns, so a line reads only one way; where lines cross, the vertical
/// is drawn over the horizontal. Stale nodes carry ` *`. Deterministic: the same view gives the same drawing.
struct AsciiDagLayout {
    let view: DagView

    private struct Box {
        var label: String
        var width: Int
        var layer: Int
        var x = 0
        var center: Int { x + width / 2 }
        var right: Int { x + width - 1 }
    }

    /// A long edge drawn as a vertical line at column `x`.
    private struct Lane {
        var from: Int
        var to: Int
        var x = 0
    }

    /// The lines of one band between two layers that start at one parent (a box or a lane coming down).
    private struct Group {
        var parentX: Int
        var ports: [(x: Int, arrow: Bool)]
        /// The lane this group ends (it is that lane's lower end), if any.
        var endsLane: Int?
        var straight: Bool { ports.count == 1 && ports[0].x == parentX }
        var low: Int { min(parentX, ports.map(\.x).min()!) }
        var high: Int { max(parentX, ports.map(\.x).max()!) }
    }

    static let gap = 3

    func render() -> String {
        guard !view.nodes.isEmpty else { return "(no stages)\n" }
        let n = view.nodes.count
        var parents = Array(repeating: [Int](), count: n)
        var children = Array(repeating: [Int](), count: n)
        for e in view.edges {
            parents[e.to].append(e.from)
            children[e.from].append(e.to)
        }
        // Nodes come in topological order, so one forward pass gives longest-path layers.
        var layer = Array(repeating: 0, count: n)
        for v in 0..<n { layer[v] = parents[v].map { layer[$0] + 1 }.max() ?? 0 }
        for v in stride(from: n - 1, through: 0, by: -1) where parents[v].isEmpty && !children[v].isEmpty {
            layer[v] = children[v].map { layer[$0] }.min()! - 1
        }
        var lanes: [Lane] = []
        var ups = Array(repeating: [Int](), count: n)    // short edges only
        var downs = Array(repeating: [Int](), count: n)
        var incoming = Array(repeating: 0, count: n)
        for e in view.edges {
            incoming[e.to] += 1
            if layer[e.to] - layer[e.from] == 1 {
                ups[e.to].append(e.from)
                downs[e.from].append(e.to)
            } else {
                lanes.append(Lane(from: e.from, to: e.to))
            }
        }
        var boxes = view.nodes.enumerated().map { v, node in
            let label = node.stale ? node.name + " *" : node.name
            return Box(label: label, width: max(label.count + 4, 2 * incoming[v] + 3), layer: layer[v])
        }
        var layers = Array(repeating: [Int](), count: (layer.max() ?? 0) + 1)
        for v in 0..<n { layers[layer[v]].append(v) }

        order(&layers, ups: ups, downs: downs)
        place(layers, ups: ups, downs: downs, boxes: &boxes)
        let boxRight = boxes.map(\.right).max()!
        allocate(&lanes, layers: layer, firstColumn: boxRight + Self.gap)
        var text = draw(layers: layers, layerOf: layer, boxes: boxes, downs: downs, lanes: lanes)
        if view.nodes.contains(where: \.stale) { text += "(* = stale)\n" }
        return text
    }

    /// Barycentre sweeps (down then up, four times, then down), ties kept in their current order.
    private func order(_ layers: inout [[Int]], ups: [[Int]], downs: [[Int]]) {
        func sweep(_ l: Int, neighbours: [[Int]], reference: [Int]) {
            var position: [Int: Int] = [:]
            for (i, v) in reference.enumerated() { position[v] = i }
            let keyed = layers[l].enumerated().map { i, v -> (Double, Int, Int) in
                let ps = neighbours[v].compactMap { position[$0] }
                return (ps.isEmpty ? Double(i) : Double(ps.reduce(0, +)) / Double(ps.count), i, v)
            }
            layers[l] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
        for _ in 0..<4 {
            for l in layers.indices.dropFirst() { sweep(l, neighbours: ups, reference: layers[l - 1]) }
            for l in layers.indices.dropLast().reversed() { sweep(l, neighbours: downs, reference: layers[l + 1]) }
        }
        for l in layers.indices.dropFirst() { sweep(l, neighbours: ups, reference: layers[l - 1]) }
    }

    /// Places boxes left to right, centred under their parents, then over their children, then under their
    /// parents again, never closer than `gap`; finally shifts everything so the leftmost box starts at column 0.
    private func place(_ layers: [[Int]], ups: [[Int]], downs: [[Int]], boxes: inout [Box]) {
        func arrange(_ layer: [Int], neighbours: [[Int]]) {
            var right = -Self.gap
            for v in layer {
                var desired = boxes[v].x
                if !neighbours[v].isEmpty {
                    desired = neighbours[v].map { boxes[$0].center }.reduce(0, +) / neighbours[v].count - boxes[v].width / 2
                }
                boxes[v].x = max(desired, right + Self.gap + 1)
                right = boxes[v].right
            }
        }
        arrange(layers[0], neighbours: Array(repeating: [], count: boxes.count))
        for l in layers.indices.dropFirst() { arrange(layers[l], neighbours: ups) }
        for l in layers.indices.dropLast().reversed() { arrange(layers[l], neighbours: downs) }
        for l in layers.indices.dropFirst() { arrange(layers[l], neighbours: ups) }
        let shift = boxes.map(\.x).min()!
        for v in boxes.indices { boxes[v].x -= shift }
    }

    /// Gives each lane a column right of the boxes; lanes whose layer spans do not overlap share a column.
    private func allocate(_ lanes: inout [Lane], layers: [Int], firstColumn: Int) {
        var columnEnds: [Int] = []  // last layer each column is busy down to
        for i in lanes.indices.sorted(by: { (layers[lanes[$0].from], layers[lanes[$0].to], $0) < (layers[lanes[$1].from], layers[lanes[$1].to], $1) }) {
            let from = layers[lanes[i].from], to = layers[lanes[i].to]
            if let c = columnEnds.firstIndex(where: { $0 <= from }) {
                columnEnds[c] = to
                lanes[i].x = firstColumn + 2 * c
            } else {
                columnEnds.append(to)
                lanes[i].x = firstColumn + 2 * (columnEnds.count - 1)
            }
        }
    }

    /// The groups of the band below layer `l`: boxes of `l` feeding `l + 1` or starting lanes, and lanes ending
    /// at `l + 1`. Child ports inside a box avoid every other parent's column.
    private func groups(upper: [Int], lower: [Int], layerOf: [Int], boxes: [Box], downs: [[Int]], lanes: [Lane]) -> [Group] {
        let upperSet = Set(upper), lowerSet = Set(lower)
        let ending = lanes.indices.filter { lowerSet.contains(lanes[$0].to) }
        var parentXs = Set(upper.filter { v in !downs[v].isEmpty || lanes.contains { $0.from == v } }.map { boxes[$0].center })
        parentXs.formUnion(ending.map { lanes[$0].x })
        // Ports: child box → (parent key → x); parent key is a node index, or -1 - lane index for a lane.
        var ports: [Int: [Int: Int]] = [:]
        for c in lower {
            var from: [(key: Int, x: Int)] = upper.filter { downs[$0].contains(c) }.map { ($0, boxes[$0].center) }
            from += ending.filter { lanes[$0].to == c }.map { (-1 - $0, lanes[$0].x) }
            guard !from.isEmpty else { continue }
            from.sort { $0.x < $1.x }
            let box = boxes[c], lo = box.x + 1, hi = box.right - 1
            // Wanted columns: right below a parent above the box, else the middle (one line in) or the nearer edge
            // (several). Ports must keep the
            // parents' left-to-right order (so lines into one box never cross) and avoid other parents' columns:
            // a forward pass pushes right, a backward pass pulls back inside the box.
            let desired = from.map { p in
                p.x >= lo && p.x <= hi ? p.x : from.count == 1 ? box.center : p.x < lo ? lo : hi
            }
            func free(_ x: Int, for i: Int) -> Bool { x == from[i].x || !parentXs.contains(x) }
            var columns = desired
            var previous = lo - 1
            for i in from.indices {
                var x = max(desired[i], previous + 1)
                while x <= hi, !free(x, for: i) { x += 1 }
                columns[i] = x
                previous = x
            }
            var next = hi + 1
            for i in from.indices.reversed() {
                var x = min(columns[i], next - 1)
                while x > lo, !free(x, for: i) { x -= 1 }
                columns[i] = max(x, lo)
                next = columns[i]
            }
            var assigned: [Int: Int] = [:]
            for (i, p) in from.enumerated() { assigned[p.key] = columns[i] }
            ports[c] = assigned
        }
        var result: [Group] = []
        for p in upper where upperSet.contains(p) {
            var groupPorts = downs[p].filter { lowerSet.contains($0) }.map { (x: ports[$0]![p]!, arrow: true) }
            groupPorts += lanes.filter { $0.from == p }.map { (x: $0.x, arrow: false) }
            guard !groupPorts.isEmpty else { continue }
            result.append(Group(parentX: boxes[p].center, ports: groupPorts.sorted { $0.x < $1.x }, endsLane: nil))
        }
        for i in ending {
            result.append(Group(parentX: lanes[i].x, ports: [(x: ports[lanes[i].to]![-1 - i]!, arrow: true)], endsLane: i))
        }
        return result
    }

    private func draw(layers: [[Int]], layerOf: [Int], boxes: [Box], downs: [[Int]], lanes: [Lane]) -> String {
        var bands: [[Group]] = []
        var trackOf: [[Int]] = []  // per band, each group's track (-1 when straight)
        for l in layers.indices.dropLast() {
            let gs = groups(upper: layers[l], lower: layers[l + 1], layerOf: layerOf, boxes: boxes, downs: downs, lanes: lanes)
            var rowEnds: [Int] = []
            var rows: [Int] = []
            for g in gs {
                if g.straight { rows.append(-1); continue }
                if let free = rowEnds.firstIndex(where: { $0 < g.low - 1 }) {
                    rowEnds[free] = g.high
                    rows.append(free)
                } else {
                    rowEnds.append(g.high)
                    rows.append(rowEnds.count - 1)
                }
            }
            bands.append(gs)
            trackOf.append(rows)
        }
        let width = max(boxes.map { $0.right }.max()!, lanes.map(\.x).max() ?? 0) + 1
        var height = 3 * layers.count
        for t in trackOf { height += 2 + ((t.max() ?? -1) + 1) }
        var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
        func put(_ x: Int, _ y: Int, _ c: Character) {
            if grid[y][x] == " " || grid[y][x] == "-" { grid[y][x] = c }
        }

        var laneTop = Array(repeating: 0, count: lanes.count)
        var laneBottom = Array(repeating: 0, count: lanes.count)
        var y = 0
        for (l, layer) in layers.enumerated() {
            for v in layer {
                let box = boxes[v]
                let border = "+" + String(repeating: "-", count: box.width - 2) + "+"
                let padded = box.label + String(repeating: " ", count: box.width - 4 - box.label.count)
                for (i, c) in border.enumerated() { grid[y][box.x + i] = c; grid[y + 2][box.x + i] = c }
                for (i, c) in ("| " + padded + " |").enumerated() { grid[y + 1][box.x + i] = c }
            }
            y += 3
            guard l < bands.count else { break }
            let arrowRow = y + 1 + ((trackOf[l].max() ?? -1) + 1)
            for (g, group) in bands[l].enumerated() where !group.straight {
                let ty = y + 1 + trackOf[l][g]
                for x in group.low...group.high where grid[ty][x] == " " { grid[ty][x] = "-" }
                grid[ty][group.parentX] = "+"
                for port in group.ports { grid[ty][port.x] = "+" }
                if let lane = group.endsLane { laneBottom[lane] = ty }
                for port in group.ports where !port.arrow {
                    if let lane = lanes.firstIndex(where: { $0.x == port.x && layerOf[$0.from] == l }) { laneTop[lane] = ty }
                }
            }
            for (g, group) in bands[l].enumerated() {
                let ty = group.straight ? arrowRow : y + 1 + trackOf[l][g]
                for row in y..<ty { put(group.parentX, row, "|") }
                for port in group.ports where port.arrow {
                    if ty + 1 < arrowRow { for row in (ty + 1)..<arrowRow { put(port.x, row, "|") } }
                    grid[arrowRow][port.x] = "v"
                }
            }
            y = arrowRow + 1
        }
        for (i, lane) in lanes.enumerated() where laneTop[i] + 1 < laneBottom[i] {
            for row in (laneTop[i] + 1)..<laneBottom[i] { put(lane.x, row, "|") }
        }
        return grid.map { String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
    }
}
