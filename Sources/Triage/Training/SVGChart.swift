import Foundation

/// Small dependency-free SVG renderings of the training plots: line charts of loss curves and confusion-matrix
/// heat maps. Output is a pure function of the input (fixed number formatting), so reruns are byte-identical.
public enum SVGChart {
    /// A line chart of one or more named series of (x, y) points.
    public static func lineChart(title: String, xLabel: String, yLabel: String,
                                 series: [(name: String, points: [(x: Double, y: Double)])]) -> String {
        let (width, height, left, right, top, bottom) = (640.0, 400.0, 64.0, 150.0, 40.0, 48.0)
        let all = series.flatMap(\.points).filter { $0.y.isFinite }
        let xMin = all.map(\.x).min() ?? 0, xMax = max((all.map(\.x).max() ?? 1), xMin + 1e-9)
        var yMin = all.map(\.y).min() ?? 0, yMax = all.map(\.y).max() ?? 1
        if yMax - yMin < 1e-9 { yMin -= 0.5; yMax += 0.5 }
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotH }
        var svg = header(width: width, height: height, title: title)
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#888\"/>\n"
        for i in 0...4 {
            let y = yMin + (yMax - yMin) * Double(i) / 4, x = xMin + (xMax - xMin) * Double(i) / 4
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\" font-size=\"11\">\(f(y))</text>\n"
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\" font-size=\"11\">\(f(x))</text>\n"
        }
        svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" font-size=\"12\">\(escape(xLabel))</text>\n"
        svg += "<text x=\"14\" y=\"\(f(top + plotH / 2))\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 \(f(top + plotH / 2)))\">\(escape(yLabel))</text>\n"
        for (index, s) in series.enumerated() {
            let color = palette[index % palette.count]
            let path = s.points.filter { $0.y.isFinite }.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
            let ly = top + 14 + Double(index) * 18
            svg += "<line x1=\"\(f(width - right + 10))\" y1=\"\(f(ly - 4))\" x2=\"\(f(width - right + 30))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            svg += "<text x=\"\(f(width - right + 34))\" y=\"\(f(ly))\" font-size=\"12\">\(escape(s.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A confusion-matrix heat map: rows are true labels, columns predictions, each cell its count.
    public static func confusionMatrix(title: String, labels: [String], counts: [[Int]]) -> String {
        let cell = 80.0, left = 110.0, top = 70.0
        let size = Double(labels.count) * cell
        let width = left + size + 20, height = top + size + 40
        let peak = max(1, counts.joined().max() ?? 1)
        var svg = header(width: width, height: height, title: title)
        for (j, label) in labels.enumerated() {
            svg += "<text x=\"\(f(left + (Double(j) + 0.5) * cell))\" y=\"\(f(top - 8))\" text-anchor=\"middle\" font-size=\"12\">\(escape(label))</text>\n"
        }
        for (i, label) in labels.enumerated() {
            let y = top + Double(i) * cell
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y + cell / 2 + 4))\" text-anchor=\"end\" font-size=\"12\">\(escape(label))</text>\n"
            for j in labels.indices {
                let value = counts[i][j]
                let shade = Int(255 - 200 * Double(value) / Double(peak))
                let x = left + Double(j) * cell
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"rgb(\(shade),\(shade),255)\" stroke=\"#fff\"/>\n"
                svg += "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + 5))\" text-anchor=\"middle\" font-size=\"14\">\(value)</text>\n"
            }
        }
        svg += "<text x=\"\(f(left + size / 2))\" y=\"\(f(height - 10))\" text-anchor=\"middle\" font-size=\"12\">predicted (rows: true label)</text>\n"
        return svg + "</svg>\n"
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]

    static func header(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"sans-serif\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
            + "<text x=\"\(f(width / 2))\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
    }

    static func f(_ v: Double) -> String { String(format: "%.4g", v) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
