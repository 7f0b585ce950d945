import Foundation

/// A named series of (step, value) points with optional extra columns, written as CSV plot data
/// (`step,<name>[,extra…]`, one row per point) that `pipe plots show` and the SVG renderer read.
public struct LossCurve: Sendable, Equatable {
    /// The value column's name (`loss`, `val_loss`).
    public var name: String
    /// Names of the extra columns, in order.
    public var extraColumns: [String]
    /// (step, value, extras) rows in the order recorded.
    public private(set) var points: [(step: Int, value: Double, extras: [Double])] = []

    /// An empty curve.
    public init(name: String, extraColumns: [String] = []) {
        self.name = name
        self.extraColumns = extraColumns
    }

    /// Appends a point; `extras` must match `extraColumns`.
    public mutating func append(step: Int, value: Double, extras: [Double] = []) {
        precondition(extras.count == extraColumns.count, "\(extraColumns.count) extra values expected")
        points.append((step, value, extras))
    }

    /// The last value recorded, if any.
    public var last: Double? { points.last?.value }

    /// The CSV text with a header; numbers printed with 6 significant digits so reruns are byte-identical.
    public var csv: String {
        var out = (["step", name] + extraColumns).joined(separator: ",") + "\n"
        for p in points {
            out += ([String(p.step), Self.format(p.value)] + p.extras.map(Self.format)).joined(separator: ",") + "\n"
        }
        return out
    }

    /// Reads a curve back from CSV text written by `csv` (the first value column is the value).
    public static func parse(csv: String, source: String) throws -> LossCurve {
        var lines = csv.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { throw TrainingError.badInput(file: source, line: nil, problem: "empty CSV") }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        guard header.count >= 2, header[0] == "step" else {
            throw TrainingError.badInput(file: source, line: 1, problem: "header must start with `step,<value>`")
        }
        var curve = LossCurve(name: header[1], extraColumns: Array(header.dropFirst(2)))
        for (index, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == header.count, let step = Int(cells[0]),
                  let values = Optional(cells.dropFirst().compactMap(Double.init)), values.count == header.count - 1
            else { throw TrainingError.badInput(file: source, line: index + 2, problem: "expected \(header.count) numbers") }
            curve.append(step: step, value: values[0], extras: Array(values.dropFirst()))
        }
        return curve
    }

    /// A number as the CSV and progress lines print it (6 significant digits).
    public static func format(_ value: Double) -> String { String(format: "%.6g", value) }

    public static func == (a: LossCurve, b: LossCurve) -> Bool { a.csv == b.csv }
}
