import Foundation

/// Draws a `ConfusionChart` as a standalone SVG: one grid per panel side by side, x (actual) classes as columns,
/// y (predicted) classes as rows, each cell shaded by its share of the panel's largest cell and labelled with
/// its count (or, normalized, its fraction of the actual class). Same chart → same bytes.
public enum ConfusionChartSVG {
    /// The SVG text of `chart`.
    public static func render(_ chart: ConfusionChart) -> String {
        let n = max(chart.labels.count, 1)
        let cell = max(24.0, min(56.0, 420.0 / Double(n)))
        let longest = Double(min(chart.labels.map(\.count).max() ?? 1, 16))
        let rowLabelWidth = 14 + longest * 7
        let rotate = longest * 7 > cell - 4
        let columnLabelHeight = rotate ? 14 + longest * 6 : 22.0
        let left = 36 + rowLabelWidth
        let top = 64.0
        let grid = cell * Double(n)
        let panelGap = 48.0
        let width = left + Double(chart.panels.count) * grid + Double(max(chart.panels.count - 1, 0)) * (panelGap + rowLabelWidth) + 24
        let height = top + grid + columnLabelHeight + 36

        var svg = SVGText.open(width: width, height: height)
        svg += SVGText.text(SVGText.truncate(chart.title, 80), x: width / 2, y: 24, size: 15, weight: "bold") + "\n"
        for (p, panel) in chart.panels.enumerated() {
            let x0 = left + Double(p) * (grid + panelGap + rowLabelWidth)
            svg += "<g class=\"panel\" data-name=\"\(SVGText.escape(panel.name))\">\n"
            if chart.panels.count > 1 {
                svg += SVGText.text(SVGText.truncate(panel.name, 40), x: x0 + grid / 2, y: top - 14, size: 12, weight: "bold") + "\n"
            }
            let values = cellValues(panel, normalized: chart.normalized)
            let peak = max(values.flatMap { $0 }.max() ?? 0, 1e-12)
            for (i, _) in chart.labels.enumerated() {          // i: actual (column)
                for (j, _) in chart.labels.enumerated() {      // j: predicted (row)
                    let v = values[i][j]
                    let share = v / peak
                    let x = x0 + Double(i) * cell, y = top + Double(j) * cell
                    svg += "<rect x=\"\(SVGText.number(x))\" y=\"\(SVGText.number(y))\" width=\"\(SVGText.number(cell))\" " +
                        "height=\"\(SVGText.number(cell))\" fill=\"\(shade(share))\" stroke=\"#ffffff\"/>\n"
                    let text = chart.normalized ? String(format: "%.2f", v) : FlatValues.formatNumber(v, precision: 3)
                    svg += SVGText.text(text, x: x + cell / 2, y: y + cell / 2 + 4, size: cell < 32 ? 9 : 11,
                                        fill: share > 0.55 ? "#ffffff" : "#222222") + "\n"
                }
            }
            svg += "<rect x=\"\(SVGText.number(x0))\" y=\"\(SVGText.number(top))\" width=\"\(SVGText.number(grid))\" " +
                "height=\"\(SVGText.number(grid))\" fill=\"none\" stroke=\"#666\"/>\n"
            for (k, label) in chart.labels.enumerated() {
                let short = SVGText.truncate(label, 16)
                let cx = x0 + (Double(k) + 0.5) * cell
                let below = top + grid + 16
                if rotate {
                    svg += SVGText.text(short, x: cx, y: below, anchor: "end", size: 11,
                                        transform: "rotate(-45 \(SVGText.number(cx)) \(SVGText.number(below)))") + "\n"
                } else {
                    svg += SVGText.text(short, x: cx, y: below, size: 11) + "\n"
                }
                svg += SVGText.text(short, x: x0 - 6, y: top + (Double(k) + 0.5) * cell + 4, anchor: "end", size: 11) + "\n"
            }
            svg += SVGText.text(chart.xLabel, x: x0 + grid / 2, y: top + grid + columnLabelHeight + 20, size: 12) + "\n"
            let yMid = top + grid / 2
            let yx = x0 - rowLabelWidth - 10
            svg += SVGText.text(chart.yLabel, x: yx, y: yMid, size: 12,
                                transform: "rotate(-90 \(SVGText.number(yx)) \(SVGText.number(yMid)))") + "\n"
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// Counts, or each actual class's counts divided by its total when normalized.
    static func cellValues(_ panel: ConfusionChart.Panel, normalized: Bool) -> [[Double]] {
        guard normalized else { return panel.counts }
        return panel.counts.map { row in
            let total = row.reduce(0, +)
            return total == 0 ? row : row.map { $0 / total }
        }
    }

    /// White to dark blue by `share` in 0…1.
    static func shade(_ share: Double) -> String {
        let t = max(0, min(1, share))
        let from = (247.0, 251.0, 255.0), to = (8.0, 69.0, 148.0)
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * t).rounded()) }
        return String(format: "#%02x%02x%02x", channel(from.0, to.0), channel(from.1, to.1), channel(from.2, to.2))
    }
}
