/// Draws a `LineChart` as a standalone SVG: title, axes with ticks and grid lines, axis labels, one coloured
/// line (or point set) per series, and a legend on the right. Same chart → same bytes.
public enum LineChartSVG {
    static let width = 760.0
    static let plotLeft = 72.0
    static let plotRight = 560.0
    static let plotTop = 48.0
    static let plotBottom = 352.0
    static let height = 410.0

    /// The SVG text of `chart`.
    public static func render(_ chart: LineChart) -> String {
        let points = chart.series.flatMap { $0.points.compactMap { $0 } }
        var xScale: AxisScale
        if let categories = chart.categories {
            xScale = AxisScale(minimum: 0, maximum: Double(max(categories.count - 1, 1)), pixels: (plotLeft, plotRight))
            xScale.lower = -0.5
            xScale.upper = Double(max(categories.count, 2)) - 0.5
            xScale.step = 1
        } else {
            xScale = AxisScale(minimum: points.map(\.x).min() ?? 0, maximum: points.map(\.x).max() ?? 1,
                               pixels: (plotLeft, plotRight))
        }
        let yScale = AxisScale(minimum: points.map(\.y).min() ?? 0, maximum: points.map(\.y).max() ?? 1,
                               pixels: (plotBottom, plotTop))
        var svg = SVGText.open(width: width, height: height)
        svg += SVGText.text(SVGText.truncate(chart.title, 80), x: (plotLeft + plotRight) / 2, y: 26, size: 15,
                            weight: "bold") + "\n"

        // Grid and ticks.
        svg += "<g class=\"y-axis\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n"
        for tick in yScale.ticks {
            let y = SVGText.number(yScale.pixel(tick))
            svg += "<line x1=\"\(SVGText.number(plotLeft))\" y1=\"\(y)\" x2=\"\(SVGText.number(plotRight))\" y2=\"\(y)\"/>\n"
        }
        svg += "</g>\n<g class=\"y-ticks\">\n"
        for tick in yScale.ticks {
            svg += SVGText.text(yScale.label(tick), x: plotLeft - 8, y: yScale.pixel(tick) + 4, anchor: "end", size: 11) + "\n"
        }
        svg += "</g>\n<g class=\"x-ticks\">\n"
        let xTicks: [(value: Double, label: String)]
        if let categories = chart.categories {
            let every = max(1, (categories.count + 9) / 10)
            xTicks = categories.enumerated().filter { $0.offset % every == 0 }
                .map { (Double($0.offset), SVGText.truncate($0.element, 14)) }
        } else {
            xTicks = xScale.ticks.map { ($0, xScale.label($0)) }
        }
        for tick in xTicks {
            let x = xScale.pixel(tick.value)
            svg += "<line x1=\"\(SVGText.number(x))\" y1=\"\(SVGText.number(plotBottom))\" x2=\"\(SVGText.number(x))\" " +
                "y2=\"\(SVGText.number(plotBottom + 5))\" stroke=\"#666\"/>\n"
            svg += SVGText.text(tick.label, x: x, y: plotBottom + 19, size: 11) + "\n"
        }
        svg += "</g>\n"
        svg += "<rect x=\"\(SVGText.number(plotLeft))\" y=\"\(SVGText.number(plotTop))\" width=\"\(SVGText.number(plotRight - plotLeft))\" " +
            "height=\"\(SVGText.number(plotBottom - plotTop))\" fill=\"none\" stroke=\"#666\"/>\n"
        svg += SVGText.text(SVGText.truncate(chart.xLabel, 60), x: (plotLeft + plotRight) / 2, y: plotBottom + 42, size: 12) + "\n"
        let yMid = (plotTop + plotBottom) / 2
        svg += SVGText.text(SVGText.truncate(chart.yLabel, 40), x: 18, y: yMid, size: 12,
                            transform: "rotate(-90 18 \(SVGText.number(yMid)))") + "\n"

        // Series.
        for (i, series) in chart.series.enumerated() {
            let color = SVGText.palette[i % SVGText.palette.count]
            let dash = SVGText.dash(forSeries: i)
            svg += "<g class=\"series\" data-name=\"\(SVGText.escape(series.name))\">\n"
            if !chart.pointsOnly {
                var run: [String] = []
                func flush() {
                    if run.count > 1 {
                        svg += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" stroke-linejoin=\"round\"\(dash) points=\"\(run.joined(separator: " "))\"/>\n"
                    }
                    run = []
                }
                for point in series.points {
                    guard let point else { flush(); continue }
                    run.append(SVGText.number(xScale.pixel(point.x)) + "," + SVGText.number(yScale.pixel(point.y)))
                }
                flush()
            }
            let present = series.points.compactMap { $0 }
            if chart.pointsOnly || present.count <= 60 {
                let radius = chart.pointsOnly ? "3.5" : "2.5"
                for point in present {
                    svg += "<circle cx=\"\(SVGText.number(xScale.pixel(point.x)))\" cy=\"\(SVGText.number(yScale.pixel(point.y)))\" r=\"\(radius)\" fill=\"\(color)\"/>\n"
                }
            }
            svg += "</g>\n"
        }

        // Legend.
        svg += "<g class=\"legend\">\n"
        for (i, series) in chart.series.enumerated() {
            let color = SVGText.palette[i % SVGText.palette.count]
            let y = plotTop + 8 + Double(i) * 20
            if y > height - 32 && i < chart.series.count - 1 {
                svg += SVGText.text("… \(chart.series.count - i) more", x: plotRight + 14, y: y, anchor: "start", size: 12) + "\n"
                break
            }
            if chart.pointsOnly {
                svg += "<circle cx=\"\(SVGText.number(plotRight + 24))\" cy=\"\(SVGText.number(y - 4))\" r=\"4\" fill=\"\(color)\"/>\n"
            } else {
                svg += "<line x1=\"\(SVGText.number(plotRight + 14))\" y1=\"\(SVGText.number(y - 4))\" x2=\"\(SVGText.number(plotRight + 34))\" " +
                    "y2=\"\(SVGText.number(y - 4))\" stroke=\"\(color)\" stroke-width=\"3\"\(SVGText.dash(forSeries: i))/>\n"
            }
            svg += SVGText.text(SVGText.truncate(series.name, 26), x: plotRight + 38, y: y, anchor: "start", size: 12) + "\n"
        }
        svg += "</g>\n</svg>\n"
        return svg
    }
}
