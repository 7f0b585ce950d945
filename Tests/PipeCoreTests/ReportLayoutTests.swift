import Foundation
import Testing
@testable import PipeCore

/// How `metrics show`, `metrics diff` and `exp show` fit a terminal: compact lists, per-file sections, the long
/// format, the width they lay out for.
@Suite struct ReportLayoutTests {
    func metrics(_ path: String, _ json: String) throws -> MetricsFile {
        try MetricsFile.parse(Data(json.utf8), path: path)
    }

    @Test("Lists show on one line like NumPy prints them and, too wide, keep their leading elements and end in …")
    func compactLists() throws {
        let matrix = try #require(try metrics("m.json", #"{"m": [[12, 3, 0], [1, 40, 2], [0, 2, 30]]}"#).values).flat("m")
        #expect(FlatValues.displayCell(matrix, precision: 5) == "[[12 3 0] [1 40 2] [0 2 30]]")
        #expect(FlatValues.displayCell(matrix, precision: 5, maxWidth: 28) == "[[12 3 0] [1 40 2] [0 2 30]]")
        #expect(FlatValues.displayCell(matrix, precision: 5, maxWidth: 27) == "[[12 3 0] [1 40 2] …]")
        #expect(FlatValues.displayCell(matrix, precision: 5, maxWidth: 12) == "[[12 3 0] …]")
        #expect(FlatValues.displayCell(matrix, precision: 5, maxWidth: 5) == "[…]")
        #expect(FlatValues.displayCell(.list([.double(0.123456789), .string("a b")]), precision: 3) == "[0.123 a b]")
        #expect(FlatValues.displayCell(.dict([("x", .int(1)), ("y", .list([]))]), precision: 5) == "{x: 1, y: []}")
        #expect(FlatValues.displayCell(.string("a long text never cut"), precision: 5, maxWidth: 4) == "a long text never cut")
        #expect(FlatValues.displayCell(.double(1234567.126), precision: 2, maxWidth: 3) == "1234567.13")
        #expect(FlatValues.displayCell(nil, precision: 5, maxWidth: 3) == "-")
    }

    @Test("The width is --width, else a positive COLUMNS, else the terminal's, else 80")
    func width() {
        #expect(ReportWidth.resolve(option: 120, columnsVariable: "60", terminalColumns: 100) == 120)
        #expect(ReportWidth.resolve(option: nil, columnsVariable: "60", terminalColumns: 100) == 60)
        #expect(ReportWidth.resolve(option: nil, columnsVariable: "wide", terminalColumns: 100) == 100)
        #expect(ReportWidth.resolve(option: nil, columnsVariable: "0", terminalColumns: nil) == 80)
        #expect(ReportWidth.resolve(option: nil, columnsVariable: nil, terminalColumns: nil) == 80)
    }

    @Test("A table knows how wide it prints, and prints without its header, indented, or right-aligned")
    func tableText() {
        let table = ReportTable(header: ["name", "n"], rows: [["a", "1"], ["bb", "100"]], rightAligned: [1])
        #expect(table.width() == 9)
        #expect(table.width(withHeader: false) == 7)
        #expect(table.text() == "name  n\na       1\nbb    100\n")
        #expect(table.text(withHeader: false, indent: "  ") == "  a     1\n  bb  100\n")
        #expect(table.markdown() == "| name | n |\n|---|---|\n| a | 1 |\n| bb | 100 |\n")
    }

    @Test("metrics show keeps DVC's single table when it fits, else a section per file: across if it fits, else a line per metric")
    func showLayouts() throws {
        let snapshot = MetricsSnapshot(name: "workspace", files: [
            try metrics("a.json", #"{"acc": 0.9, "cm": [[5, 1], [0, 7]]}"#),
            try metrics("b.json", #"{"model": {"accuracy_by_language": {"en": 0.91, "fr": 0.875}}, "cm": [[10, 20, 30], [40, 50, 60]]}"#),
            MetricsFile(path: "gone.json", values: nil),
        ])
        #expect(MetricsTable.text(snapshot, width: 120) == """
            Path    acc  cm                       model.accuracy_by_language.en  model.accuracy_by_language.fr
            a.json  0.9  [[5 1] [0 7]]            -                              -
            b.json  -    [[10 20 30] [40 50 60]]  0.91                           0.875

            """)
        #expect(MetricsTable.text(snapshot, width: 60) == """
            a.json
              acc  cm
              0.9  [[5 1] [0 7]]

            b.json
              model.accuracy_by_language.en  0.91
              model.accuracy_by_language.fr  0.875
              cm                             [[10 20 30] [40 50 60]]

            """)
        #expect(MetricsTable.text(snapshot, width: 48).hasSuffix("""
              model.accuracy_by_language.fr  0.875
              cm                             [[10 20 30] …]

            """))
        #expect(MetricsTable.text(MetricsSnapshot(name: "workspace", files: [MetricsFile(path: "x.json", values: nil)]), width: 80) == "")
    }

    @Test("A file of like mappings (a block per model) shows a column per block when its keys do not fit across")
    func byBlock() throws {
        let models = try metrics("eval.json", """
            {"base": {"accuracy": 0.289896, "cm": [[305, 2, 0], [425, 2, 0]], "latency": {"ms": 3.88752}},
             "sft": {"accuracy": 0.939566, "cm": [[306, 1, 0], [52, 370, 5]], "latency": {"ms": 4.96247}}}
            """)
        let snapshot = MetricsSnapshot(name: "workspace", files: [models])
        #expect(MetricsTable.text(snapshot, width: 60) == """
            eval.json
              Metric      base                   sft
              accuracy    0.2899                 0.93957
              cm          [[305 2 0] [425 2 0]]  [[306 1 0] [52 370 5]]
              latency.ms  3.88752                4.96247

            """)
        #expect(MetricsTable.text(snapshot, width: 48) == """
            eval.json
              Metric      base           sft
              accuracy    0.2899         0.93957
              cm          [[305 2 0] …]  [[306 1 0] …]
              latency.ms  3.88752        4.96247

            """)
        let unlike = try metrics("split.json", #"{"records": 10592, "train": {"share": 0.8}, "val": {"share": 0.1}}"#)
        #expect(MetricsTable.byBlock(try #require(unlike.values), precision: 5) == nil)
        let unshared = try metrics("u.json", #"{"a": {"x": 1}, "b": {"y": 2}}"#)
        #expect(MetricsTable.byBlock(try #require(unshared.values), precision: 5) == nil)
    }

    @Test("metrics diff keeps the long table when it fits, else a section per file, a too-wide matrix compared row by row")
    func diffLayouts() throws {
        let old = MetricsSnapshot(name: "HEAD", files: [
            try metrics("eval/scores.json", #"{"sft": {"accuracy": 0.9, "confusion_matrix": [[300, 7, 0], [52, 370, 5], [4, 2, 319]]}}"#)])
        let new = MetricsSnapshot(name: "workspace", files: [
            try metrics("eval/scores.json", #"{"sft": {"accuracy": 0.95, "confusion_matrix": [[306, 1, 0], [45, 379, 3], [14, 6, 305]]}}"#)])
        let diff = MetricsDiff(old: old, new: new)
        #expect(diff.text(all: false, width: 120) == """
            Path              Metric                HEAD                              workspace                          Change
            eval/scores.json  sft.accuracy          0.9                               0.95                               0.05
            eval/scores.json  sft.confusion_matrix  [[300 7 0] [52 370 5] [4 2 319]]  [[306 1 0] [45 379 3] [14 6 305]]  -

            """)
        #expect(diff.text(all: false, width: 80) == """
            eval/scores.json
              Metric                   HEAD        workspace   Change
              sft.accuracy             0.9         0.95        0.05
              sft.confusion_matrix[0]  [300 7 0]   [306 1 0]   -
              sft.confusion_matrix[1]  [52 370 5]  [45 379 3]  -
              sft.confusion_matrix[2]  [4 2 319]   [14 6 305]  -

            """)
        #expect(MetricsDiff(old: old, new: old).text(all: false, width: 80) == "")
    }

    func experiments() -> ExperimentTable {
        func record(_ name: String, lr: Double, epochs: Int, acc: Double) -> ExperimentRecord {
            ExperimentRecord(id: name + "-id", name: name, created: "2026-01-0\(epochs)T00:00:00Z", baseCommit: nil, overrides: [],
                             params: ["params.yaml": .dict([("sft", .dict([("lr", .double(lr)), ("epochs", .int(epochs))])),
                                                            ("seed", .int(42))])],
                             metrics: ["m.json": [("sft.acc", .double(acc)), ("loss", .double(0.5))]], files: [:], lock: "")
        }
        return ExperimentTable(
            workspaceParams: ["params.yaml": .dict([("sft", .dict([("lr", .double(0.1)), ("epochs", .int(2))])), ("seed", .int(42))])],
            workspaceMetrics: ["m.json": [("sft.acc", .double(0.8)), ("loss", .double(0.5))]],
            experiments: [record("first", lr: 0.1, epochs: 3, acc: 0.85), record("second", lr: 0.1, epochs: 4, acc: 0.9)])
    }

    @Test("exp show picks columns as DVC does: --only-changed, --keys globs, --drop and --keep regexes")
    func columnSelection() throws {
        let table = experiments()
        #expect(table.paramColumns == ["sft.epochs"])
        #expect(table.metricColumns == ["sft.acc", "loss"])
        let changed = try table.selecting(ExperimentColumnSelection(onlyChanged: true))
        #expect(changed.paramColumns == ["sft.epochs"] && changed.metricColumns == ["sft.acc"])
        let keys = try table.selecting(ExperimentColumnSelection(keys: ["sft.*"]))
        #expect(keys.paramColumns == ["sft.lr", "sft.epochs"] && keys.metricColumns == ["sft.acc"])
        let both = try table.selecting(ExperimentColumnSelection(onlyChanged: true, keys: ["sft.*", "seed"]))
        #expect(both.paramColumns == ["sft.epochs"] && both.metricColumns == ["sft.acc"])
        let kept = try table.selecting(ExperimentColumnSelection(onlyChanged: true, keep: "se", drop: "sft|Created"))
        #expect(kept.paramColumns == ["seed"] && kept.metricColumns == [] && !kept.showsCreated)
        #expect(kept.plainText() == "Experiment  seed\nworkspace     42\nfirst         42\nsecond        42\n")
        #expect(kept.json() == table.json().replacingOccurrences(of: #""params":["sft.epochs"],"metrics":["sft.acc","loss"]"#,
                                                                  with: #""params":["seed"],"metrics":[]"#))
        #expect(throws: PipeError.self) { _ = try table.selecting(ExperimentColumnSelection(keys: ["dpo.*"])) }
        #expect(throws: PipeError.self) { _ = try table.selecting(ExperimentColumnSelection(drop: "(")) }
    }

    @Test("exp show turns on its side, a line per column and a column per experiment, when too wide")
    func transposed() {
        let table = experiments()
        #expect(table.plainText(width: 80) == """
            Experiment  Created               sft.epochs  sft.acc  loss
            workspace   -                              2      0.8   0.5
            first       2026-01-03T00:00:00Z           3     0.85   0.5
            second      2026-01-04T00:00:00Z           4      0.9   0.5

            """)
        #expect(table.plainText(width: 40) == """
            Experiment  workspace  first                 second
            Created     -          2026-01-03T00:00:00Z  2026-01-04T00:00:00Z
            sft.epochs  2          3                     4
            sft.acc     0.8        0.85                  0.9
            loss        0.5        0.5                   0.5

            """)
    }
}

extension ParamValue {
    /// The value at top-level `key` of a mapping (tests only).
    fileprivate func flat(_ key: String) -> ParamValue? {
        guard case let .dict(entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }
}
