import Foundation
import PipeBasics
import PipeCore
import PipeMLflow

/// What a finished run logs, read from the workspace with the report readers: params of the stages that ran,
/// metrics files' numeric leaves, plot series as step histories, tags, and the artifact files (copied into the
/// run's directory so a backlog still has them after the workspace changed).
struct TrackedContent {
    let project: Project
    let stagingDirectory: URL
    var params: [MLflowKeyValue] = []
    var metrics: [MLflowMetric] = []
    var tags: [MLflowKeyValue] = []
    /// (artifact path, file relative to the run's directory).
    var artifacts: [(String, String)] = []
    let timestamp = RunTracker.milliseconds(Date())

    init(project: Project, stagingDirectory: URL) {
        self.project = project
        self.stagingDirectory = stagingDirectory
    }

    /// The declared params of `stages`, flattened (`sft.lr`; `file.yaml:key` for files other than params.yaml).
    mutating func addParams(of stages: [String]) {
        var seen: Set<String> = []
        for name in stages {
            guard let stage = project.pipeline.stage(named: name) else { continue }
            let values = project.pipeline.paramValues(for: stage)
            for file in values.keys.sorted() {
                let prefix = file == "params.yaml" ? "" : "\(file):"
                for (key, value) in values[file]! {
                    for leaf in FlatValues.flatten(value, prefix: key) where seen.insert(prefix + leaf.key).inserted {
                        params.append(MLflowKeyValue(key: prefix + leaf.key,
                                                     value: leaf.value.interpolationText ?? leaf.value.jsonText))
                    }
                }
            }
        }
    }

    /// Every declared metrics file's numeric leaves, as final values (step 0).
    mutating func addMetrics() {
        let (byFile, _) = project.currentMetrics()
        for file in byFile.keys.sorted() {
            for (key, value) in byFile[file]! {
                guard let number = Self.number(value) else { continue }
                metrics.append(MLflowMetric(key: TrackingKeys.metric(file: file, key: key), value: number,
                                            timestamp: timestamp, step: 0))
            }
        }
    }

    /// Every declared plot file's `y` columns (all numeric columns but `x` when none is declared) as histories,
    /// stepped by the `x` column (`step` by default; the row number when it is not whole numbers), leaving out
    /// the points already sent live.
    mutating func addSeries(skipping sent: Set<String>, timestamp: Int64) {
        let specs = (try? PlotSpecReader(workspace: project.workspace)) ?? PlotSpecReader()
        for stage in project.pipeline.stages {
            for out in stage.outs where out.kind == .plot {
                guard let data = FileManager.default.contents(atPath: project.workspace.url(out.path).path),
                      let plot = try? PlotData.parse(data, path: out.path), plot.matrix == nil,
                      let spec = try? specs.spec(for: out.path) else { continue }
                let x = spec.x ?? "step"
                let steps = plot.column(x)?.map { $0.number.flatMap { $0 == $0.rounded() ? Int64($0) : nil } }
                let stepColumn = steps.flatMap { $0.contains(nil) ? nil : $0.map { $0! } }
                let columns = spec.y.isEmpty ? plot.numericColumns.filter { $0 != x } : spec.y
                for column in columns {
                    guard let cells = plot.column(column) else { continue }
                    let key = TrackingKeys.series(file: out.path, column: column)
                    for (row, cell) in cells.enumerated() {
                        guard let value = cell.number else { continue }
                        let step = stepColumn?[row] ?? Int64(row)
                        if sent.contains("\(key)@\(step)") { continue }
                        metrics.append(MLflowMetric(key: key, value: value, timestamp: timestamp, step: step))
                    }
                }
            }
        }
    }

    /// Git state, the stages run, the lock's hash and each stage's chain of reasons.
    mutating func addTags(ran: [String], reasons: [String: [InvalidationReason]], graph: StageGraph) {
        let root = project.workspace.root
        if let status = try? GitRunner.run(["status", "--porcelain", "--untracked-files=no"], in: root), status.status == 0 {
            tags.append(MLflowKeyValue(key: "pipe.git.dirty", value: status.text.isEmpty ? "false" : "true"))
        }
        tags.append(MLflowKeyValue(key: "pipe.stages_ran", value: ran.joined(separator: ",")))
        if let lock = FileManager.default.contents(atPath: project.workspace.lockURL.path) {
            tags.append(MLflowKeyValue(key: "pipe.lock_hash", value: XXH3Hasher.hash(Array(lock)).hex))
        }
        let chain = CauseChain(reasons: reasons, graph: graph)
        for stage in ran where reasons[stage] != nil {
            tags.append(MLflowKeyValue(key: "pipe.reasons.\(stage)",
                                       value: chain.lines(for: stage, indent: "").joined(separator: "\n")))
        }
    }

    /// Copies the metrics files and writes the rendered plots into the run's directory, as artifacts to upload.
    mutating func stageArtifacts() {
        let fm = FileManager.default
        for stage in project.pipeline.stages {
            for out in stage.outs where out.kind == .metric || out.kind == .plot {
                let source = project.workspace.url(out.path)
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: source.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                keep(file: "artifacts/" + out.path, as: out.path) { try AtomicFileWriter.copy(from: source.path, to: $0) }
            }
        }
        guard let snapshot = try? RepoSnapshot.workspace(project.workspace),
              let report = try? PlotsReport.build([snapshot]) else { return }
        for plot in report.plots {
            let path = "plots/" + plot.svgName
            keep(file: "artifacts/" + path, as: path) { try AtomicFileWriter.write(plot.svg, to: $0) }
        }
    }

    private mutating func keep(file: String, as path: String, _ write: (String) throws -> Void) {
        let target = stagingDirectory.appendingPathComponent(file)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try write(target.path)
            artifacts.append((path, file))
        } catch {
            // An artifact that cannot be staged is left out; the metrics and params still go.
        }
    }

    static func number(_ value: ParamValue) -> Double? {
        switch value {
        case let .int(i): Double(i)
        case let .double(d): d
        default: nil
        }
    }
}
