/// What a plot draws, independent of SVG: lines (or points) over x, or confusion matrices.
public enum PlotFigure: Sendable, Equatable {
    case lines(LineChart)
    case confusion(ConfusionChart)
}

/// A point of a line chart.
public struct PlotPoint: Sendable, Equatable {
    /// Data x (a category index on a categorical axis).
    public var x: Double
    /// Data y.
    public var y: Double

    /// The point (x, y).
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// One line: its legend name and its points in row order; nil marks a gap (a row without a value).
public struct PlotSeries: Sendable, Equatable {
    /// Legend text.
    public var name: String
    /// Points in row order; nil is a gap.
    public var points: [PlotPoint?]

    /// A series named `name`.
    public init(name: String, points: [PlotPoint?]) {
        self.name = name
        self.points = points
    }
}

/// Lines (or scatter points) sharing an x axis.
public struct LineChart: Sendable, Equatable {
    /// Text above the chart.
    public var title: String
    /// Text under the x axis.
    public var xLabel: String
    /// Text along the y axis.
    public var yLabel: String
    /// Labels of a categorical x axis (x values are then 0, 1, …); nil for a numeric x.
    public var categories: [String]?
    /// Lines in legend order.
    public var series: [PlotSeries]
    /// Draw points without lines (the `scatter` template).
    public var pointsOnly: Bool

    /// A chart of `series`.
    public init(title: String, xLabel: String, yLabel: String, categories: [String]? = nil, series: [PlotSeries],
                pointsOnly: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.series = series
        self.pointsOnly = pointsOnly
    }
}

/// One or more confusion matrices over the same classes (one panel per revision in a diff).
public struct ConfusionChart: Sendable, Equatable {
    /// A matrix of one side: `counts[i][j]` is how many rows had x (actual) class i and y (predicted) class j.
    public struct Panel: Sendable, Equatable {
        /// The side this matrix comes from.
        public var name: String
        /// `counts[actual][predicted]`, indexed like the chart's labels.
        public var counts: [[Double]]

        /// A panel for side `name`.
        public init(name: String, counts: [[Double]]) {
            self.name = name
            self.counts = counts
        }
    }

    /// Text above the chart.
    public var title: String
    /// Text under the x axis.
    public var xLabel: String
    /// Text along the y axis.
    public var yLabel: String
    /// Class names, shared by every panel.
    public var labels: [String]
    /// One matrix per side.
    public var panels: [Panel]
    /// Show each actual class's counts as fractions of its total (`confusion_normalized`).
    public var normalized: Bool

    /// A chart of `panels` over `labels`.
    public init(title: String, xLabel: String, yLabel: String, labels: [String], panels: [Panel], normalized: Bool) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.labels = labels
        self.panels = panels
        self.normalized = normalized
    }
}
