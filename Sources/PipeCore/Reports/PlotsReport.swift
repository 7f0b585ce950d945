import Foundation

/// `pipe plots show` / `pipe plots diff`: every declared plot of one or more sides turned into a figure and its
/// SVG, all in memory, so a bad spec or file fails before anything is written.
public struct PlotsReport: Sendable {
    /// One rendered plot.
    public struct Plot: Sendable, Equatable {
        /// Repo-relative path of the data file.
        public var path: String
        /// The properties it was drawn with.
        public var spec: PlotSpec
        /// What was drawn.
        public var figure: PlotFigure
        /// The standalone SVG text.
        public var svg: String
        /// Sides (workspace, revisions) the data came from.
        public var sides: [String]

        /// Where the SVG goes inside the output directory: the data path plus `.svg`.
        public var svgName: String { path + ".svg" }
    }

    /// Rendered plots in declaration order.
    public var plots: [Plot]
    /// Declared plots files that exist on no side (reported, not fatal).
    public var missing: [String]

    /// Renders every plots file declared on any of `sides` (in order of first declaration; a directory stands for
    /// its CSV, TSV and JSON files, each drawn with the directory's properties), with the plot
    /// properties of the last side that declares it. Throws on a bad spec, a malformed file or a missing column.
    public static func build(_ sides: [RepoSnapshot]) throws -> PlotsReport {
        // Each declared path, or the data files of a declared directory, with the declaration it comes from.
        var paths: [String] = []
        var declaredAs: [String: String] = [:]
        for side in sides {
            for (_, out) in side.outputs(of: .plot) {
                for file in side.expandingDirectories([out.path], extensions: [".csv", ".tsv", ".json"])
                where !paths.contains(file) {
                    paths.append(file)
                    declaredAs[file] = out.path
                }
            }
        }
        var readers: [String: PlotSpecReader] = [:]
        for side in sides { readers[side.name] = try PlotSpecReader(pipelineText: side.pipelineText, file: side.pipeline.file) }
        var report = PlotsReport(plots: [], missing: [])
        for path in paths {
            let declared = declaredAs[path]!
            guard let owner = sides.last(where: { side in side.outputs(of: .plot).contains { $0.output.path == declared } }) else { continue }
            let declaration = owner.outputs(of: .plot).first { $0.output.path == declared }!.output
            var spec = try readers[owner.name]!.spec(for: declared, declaredAt: declaration.location)
            spec.path = path
            var data: [(name: String, data: PlotData)] = []
            for side in sides {
                guard let bytes = try side.contents(of: path) else { continue }
                do {
                    data.append((side.name, try PlotData.parse(bytes, path: path)))
                } catch var error as PipeError where side.commit != nil {
                    error.message = "at revision \(side.name): " + error.message
                    throw error
                }
            }
            if data.isEmpty { report.missing.append(path); continue }
            let figure = try PlotBuilder.figure(spec, sides: data)
            let svg = switch figure {
            case let .lines(chart): LineChartSVG.render(chart)
            case let .confusion(chart): ConfusionChartSVG.render(chart)
            }
            report.plots.append(Plot(path: path, spec: spec, figure: figure, svg: svg, sides: data.map(\.name)))
        }
        return report
    }

    /// One self-contained HTML page: every SVG inline, no scripts, no external resources.
    public func html(title: String = "pipe plots") -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(SVGText.escape(title))</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 24px; color: #222; background: #f6f7f9; }
        h1 { font-size: 20px; margin: 0 0 16px; }
        section { background: #fff; border: 1px solid #dde1e6; border-radius: 6px; padding: 12px 16px; margin: 0 0 20px; display: inline-block; vertical-align: top; }
        h2 { font-size: 14px; font-weight: normal; font-family: Menlo, Consolas, monospace; margin: 0 0 8px; color: #444; }
        p.missing { color: #a33; }
        svg { display: block; max-width: 100%; height: auto; }
        </style>
        </head>
        <body>
        <h1>\(SVGText.escape(title))</h1>

        """
        for plot in plots {
            page += "<section id=\"\(SVGText.escape(plot.path))\">\n<h2>\(SVGText.escape(plot.path))</h2>\n\(plot.svg)</section>\n"
        }
        for path in missing {
            page += "<p class=\"missing\">\(SVGText.escape(path)): missing</p>\n"
        }
        if plots.isEmpty && missing.isEmpty { page += "<p>No plots are declared in the pipeline.</p>\n" }
        page += "</body>\n</html>\n"
        return page
    }

    /// Writes `index.html` and one SVG per plot under `directory`, each atomically; returns the files written.
    @discardableResult
    public func write(to directory: URL, title: String = "pipe plots") throws -> [URL] {
        var written: [URL] = []
        for plot in plots {
            let url = directory.appendingPathComponent(plot.svgName)
            try AtomicFile.write(Data(plot.svg.utf8), to: url)
            written.append(url)
        }
        let index = directory.appendingPathComponent("index.html")
        try AtomicFile.write(Data(html(title: title).utf8), to: index)
        written.append(index)
        return written
    }

    /// `{"schema":1,"plots":[{"path","template","x","y","sides","svg","series":[{"name","points":[[x,y],…]}]}],"missing":[…]}`;
    /// a confusion matrix gives `labels` and `matrices` instead of `series`. `svg` is relative to the output directory.
    public func json() -> String {
        let items: [ParamValue] = plots.map { plot in
            var fields: [(String, ParamValue)] = [("path", .string(plot.path)),
                                                  ("template", .string(plot.spec.template.rawValue))]
            switch plot.figure {
            case let .lines(chart):
                fields.append(("x", .string(chart.xLabel)))
                fields.append(("y", .list(plot.spec.y.map { .string($0) })))
                fields.append(("sides", .list(plot.sides.map { .string($0) })))
                fields.append(("svg", .string(plot.svgName)))
                fields.append(("series", .list(chart.series.map { series in
                    .dict([("name", .string(series.name)),
                           ("points", .list(series.points.compactMap { $0 }.map { .list([.double($0.x), .double($0.y)]) }))])
                })))
            case let .confusion(chart):
                fields.append(("x", .string(chart.xLabel)))
                fields.append(("y", .list([.string(chart.yLabel)])))
                fields.append(("sides", .list(plot.sides.map { .string($0) })))
                fields.append(("svg", .string(plot.svgName)))
                fields.append(("labels", .list(chart.labels.map { .string($0) })))
                fields.append(("matrices", .list(chart.panels.map { panel in
                    .dict([("name", .string(panel.name)),
                           ("counts", .list(panel.counts.map { .list($0.map { .double($0) }) }))])
                })))
            }
            return .dict(fields)
        }
        return ParamValue.dict([("schema", .int(1)), ("plots", .list(items)),
                                ("missing", .list(missing.map { .string($0) }))]).jsonText + "\n"
    }
}
