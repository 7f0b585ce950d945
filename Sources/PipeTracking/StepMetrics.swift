import PipeCore

/// Step metrics a training stage reports in its progress messages (`step 12 loss 2.31 val_loss 2.40`), mapped to
/// the metric keys of the plots the stage declares, so the engine can relay them live without the stage knowing
/// about tracking. Only values whose name is a `y` column of one of the stage's plots are relayed: those are the
/// series the finished run logs in full, under the same keys.
public struct StepMetrics: Sendable {
    /// Metric key by column name, per stage.
    let keys: [String: [String: String]]

    /// The relay for `pipeline`, reading plot properties (`x`, `y`) with `specs`.
    public init(pipeline: Pipeline, specs: PlotSpecReader) {
        var keys: [String: [String: String]] = [:]
        for stage in pipeline.stages {
            for out in stage.outs where out.kind == .plot {
                guard let spec = try? specs.spec(for: out.path) else { continue }
                for column in spec.y { keys[stage.name, default: [:]][column] = TrackingKeys.series(file: out.path, column: column) }
            }
        }
        self.keys = keys
    }

    /// The (key, step, value) points in a progress message of `stage`; empty when it reports none.
    public func points(stage: String, message: String) -> [(key: String, step: Int, value: Double)] {
        guard let columns = keys[stage] else { return [] }
        let words = message.split(separator: " ")
        guard words.count >= 2, words[0] == "step", let step = Int(words[1]) else { return [] }
        var out: [(key: String, step: Int, value: Double)] = []
        var index = 2
        while index + 1 < words.count {
            if let key = columns[String(words[index])], let value = Double(words[index + 1]) {
                out.append((key, step, value))
                index += 2
            } else {
                index += 1
            }
        }
        return out
    }
}

/// How files and their values are named in MLflow: the file name without its extension, a dot, and the key
/// (`reports/sft.json` → `sft.final_val_loss`; the `loss` column of `reports/sft_loss.csv` → `sft_loss.loss`).
public enum TrackingKeys {
    /// The metric key of a leaf of a metrics file.
    public static func metric(file: String, key: String) -> String { stem(file) + "." + key }

    /// The metric key of a plot column.
    public static func series(file: String, column: String) -> String { stem(file) + "." + column }

    static func stem(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
