import PipeBasics
/// Turns a plot spec and the data of one or more sides (workspace, revisions) into a `PlotFigure`.
///
/// Defaults for a line plot without `x`/`y`: with two or more numeric columns, the first is x and the other
/// numeric columns are y series; with one, it is y over the row index (`step`). A named column that the file does
/// not have is an error naming the file, the column and the columns it does have.
public enum PlotBuilder {
    /// The figure for `spec` over `sides` (name, data); with several sides each series is prefixed by its side.
    public static func figure(_ spec: PlotSpec, sides: [(name: String, data: PlotData)]) throws -> PlotFigure {
        spec.template.isConfusion ? .confusion(try confusion(spec, sides: sides)) : .lines(try lines(spec, sides: sides))
    }

    static func missingColumn(_ column: String, role: String, spec: PlotSpec, data: PlotData, side: String?) -> PipeError {
        var fix = "the columns of \(data.path) are: " + (data.columns.isEmpty ? "(none)" : data.columns.joined(separator: ", "))
        if let guess = DidYouMean.closest(to: column, in: data.columns) { fix = "did you mean '\(guess)'? " + fix }
        let at = side.map { " at \($0)" } ?? ""
        return PipeError(.missingKey, "plot \(data.path)\(at): \(role) column '\(column)' is not in the file", fix: fix,
                         location: spec.propertyLocations[role] ?? spec.location, keyPath: "plots.\(spec.path).\(role)")
    }

    static func lines(_ spec: PlotSpec, sides: [(name: String, data: PlotData)]) throws -> LineChart {
        var series: [PlotSeries] = []
        var xName = spec.x ?? "step"
        var yNames: [String] = []
        var categories: [String]?
        for side in sides {
            let data = side.data
            let sideLabel = sides.count > 1 ? side.name : nil
            if data.matrix != nil {
                throw PipeError(.invalidValue, "plot \(data.path) holds a confusion matrix",
                                fix: "set 'template: confusion' on its plots entry", location: spec.location)
            }
            let numeric = data.numericColumns
            var ys = spec.y
            for y in ys where !data.columns.contains(y) {
                throw missingColumn(y, role: "y", spec: spec, data: data, side: sideLabel)
            }
            var x = spec.x
            if let x, !data.columns.contains(x) { throw missingColumn(x, role: "x", spec: spec, data: data, side: sideLabel) }
            if x == nil && ys.isEmpty {
                if numeric.count >= 2 { x = numeric[0]; ys = Array(numeric.dropFirst()) } else { ys = numeric }
            } else if x == nil {
                x = numeric.first { !ys.contains($0) }
            } else if ys.isEmpty {
                ys = numeric.filter { $0 != x }
            }
            guard !ys.isEmpty else {
                throw PipeError(.invalidValue, "plot \(data.path) has no numeric column to draw",
                                fix: "name the y column(s) with 'y:' on its plots entry", location: spec.location)
            }
            for y in ys where !numeric.contains(y) {
                throw PipeError(.invalidValue, "plot \(data.path): y column '\(y)' does not hold numbers",
                                fix: "choose a numeric column for 'y' (numeric: \(numeric.joined(separator: ", ")))",
                                location: spec.location, keyPath: "plots.\(spec.path).y")
            }
            var xs: [Double?]
            if let x {
                xName = x
                let cells = data.column(x)!
                if cells.allSatisfy({ $0.number != nil }) {
                    xs = cells.map(\.number)
                } else {
                    var names = categories ?? []
                    for cell in cells { if let l = cell.label, !names.contains(l) { names.append(l) } }
                    categories = names
                    xs = cells.map { cell in cell.label.flatMap { names.firstIndex(of: $0) }.map(Double.init) }
                }
            } else {
                xName = "step"
                xs = data.rows.indices.map(Double.init)
            }
            for y in ys {
                if !yNames.contains(y) { yNames.append(y) }
                let values = data.column(y)!
                let points = zip(xs, values).map { x, v -> PlotPoint? in
                    guard let x, x.isFinite, let n = v.number, n.isFinite else { return nil }
                    return PlotPoint(x: x, y: n)
                }
                let name = sideLabel.map { ys.count > 1 || spec.y.count > 1 ? "\($0): \(y)" : $0 } ?? y
                series.append(PlotSeries(name: name, points: points))
            }
        }
        return LineChart(title: spec.title ?? spec.path, xLabel: spec.xLabel ?? xName,
                         yLabel: spec.yLabel ?? (yNames.count == 1 ? yNames[0] : "value"), categories: categories,
                         series: series, pointsOnly: spec.template == .scatter)
    }

    static func confusion(_ spec: PlotSpec, sides: [(name: String, data: PlotData)]) throws -> ConfusionChart {
        var pairs: [(name: String, actual: [String], predicted: [String])] = []
        var matrices: [(name: String, matrix: PlotData.Matrix)] = []
        var xName = spec.x ?? "actual"
        var yName = spec.y.first ?? "predicted"
        for side in sides {
            let data = side.data
            if let matrix = data.matrix { matrices.append((side.name, matrix)); continue }
            let sideLabel = sides.count > 1 ? side.name : nil
            let x = spec.x ?? (data.columns.contains("actual") ? "actual" : data.columns.first ?? "actual")
            let y = spec.y.first ?? (data.columns.contains("predicted") ? "predicted"
                                     : data.columns.dropFirst().first ?? "predicted")
            guard let xs = data.column(x) else { throw missingColumn(x, role: "x", spec: spec, data: data, side: sideLabel) }
            guard let ys = data.column(y) else { throw missingColumn(y, role: "y", spec: spec, data: data, side: sideLabel) }
            xName = x
            yName = y
            var actual: [String] = [], predicted: [String] = []
            for (a, p) in zip(xs, ys) {
                guard let a = a.label, let p = p.label else { continue }
                actual.append(a)
                predicted.append(p)
            }
            pairs.append((side.name, actual, predicted))
        }
        // A JSON matrix's labels keep their order (classes often have a meaningful one); labels read from
        // columns are sorted, numerically when they are numbers, and follow.
        var labels: [String] = []
        for m in matrices { for label in m.matrix.labels where !labels.contains(label) { labels.append(label) } }
        var labelSet = Set<String>()
        for pair in pairs { labelSet.formUnion(pair.actual); labelSet.formUnion(pair.predicted) }
        labels += labelSet.subtracting(labels).sorted { a, b in
            if let x = Double(a), let y = Double(b), x != y { return x < y }
            return a < b
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var panels: [ConfusionChart.Panel] = []
        for side in sides {
            var counts = Array(repeating: Array(repeating: 0.0, count: labels.count), count: labels.count)
            if let m = matrices.first(where: { $0.name == side.name })?.matrix {
                for (i, row) in m.counts.enumerated() {
                    for (j, c) in row.enumerated() { counts[index[m.labels[i]]!][index[m.labels[j]]!] += c }
                }
            } else if let pair = pairs.first(where: { $0.name == side.name }) {
                for (a, p) in zip(pair.actual, pair.predicted) { counts[index[a]!][index[p]!] += 1 }
            }
            panels.append(ConfusionChart.Panel(name: side.name, counts: counts))
        }
        return ConfusionChart(title: spec.title ?? spec.path, xLabel: spec.xLabel ?? xName, yLabel: spec.yLabel ?? yName,
                              labels: labels, panels: panels, normalized: spec.template == .confusionNormalized)
    }
}
