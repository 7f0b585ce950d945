/// How one plots file is drawn: DVC's plot properties given with its entry under a stage's `plots:`.
///
/// ```yaml
/// plots:
///   - reports/loss.csv:
///       x: step
///       y: [train_loss, val_loss]
///       template: linear
///       title: Loss
/// ```
public struct PlotSpec: Sendable, Equatable {
    /// The drawing templates understood (DVC's names); `simple` and `smooth` draw as `linear`.
    public enum Template: String, Sendable, CaseIterable {
        case linear, simple, smooth, scatter, confusion
        case confusionNormalized = "confusion_normalized"

        /// Whether the template draws a confusion matrix rather than lines or points.
        public var isConfusion: Bool { self == .confusion || self == .confusionNormalized }
    }

    /// Repo-relative path of the data file.
    public var path: String
    /// How the data is drawn (`linear` unless given).
    public var template: Template
    /// The x column (actual class for a confusion matrix); nil picks a default.
    public var x: String?
    /// The y columns (predicted class for a confusion matrix, one column); empty picks defaults.
    public var y: [String]
    /// Chart title (default: the path).
    public var title: String?
    /// x axis text (default: the x column).
    public var xLabel: String?
    /// y axis text (default: the y column).
    public var yLabel: String?
    /// Where the plot is declared in pipeline.yaml, for errors.
    public var location: SourceLocation?
    /// Where each property (`x`, `y`, …) is written, so an error points at the value at fault.
    public var propertyLocations: [String: SourceLocation] = [:]

    /// A spec for `path`; omitted properties take the defaults.
    public init(path: String, template: Template = .linear, x: String? = nil, y: [String] = [], title: String? = nil,
                xLabel: String? = nil, yLabel: String? = nil, location: SourceLocation? = nil) {
        self.path = path
        self.template = template
        self.x = x
        self.y = y
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.location = location
    }
}
