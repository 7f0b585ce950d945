import Foundation
import Testing
@testable import PipeCore

@Suite struct MetricsTableTests {
    func metrics(_ path: String, _ json: String) throws -> MetricsFile {
        try MetricsFile.parse(Data(json.utf8), path: path)
    }

    @Test("Nested mappings flatten to dotted keys in file order; lists stay one value")
    func flattening() {
        let value = ParamValue.dict([("b", .int(1)), ("a", .dict([("y", .double(0.5)), ("x", .dict([("z", .bool(true))]))])),
                                     ("list", .list([.int(1), .int(2)]))])
        let flat = FlatValues.flatten(value)
        #expect(flat.map(\.key) == ["b", "a.y", "a.x.z", "list"])
        #expect(flat[3].value == .list([.int(1), .int(2)]))
    }

    @Test("Numbers in cells round to the precision and drop trailing zeros")
    func numberCells() {
        #expect(FlatValues.formatNumber(0.8500000000000001, precision: 5) == "0.85")
        #expect(FlatValues.formatNumber(-0.04999999999999993, precision: 5) == "-0.05")
        #expect(FlatValues.formatNumber(2, precision: 5) == "2")
        #expect(FlatValues.formatNumber(1e-9, precision: 5) == "1.0000e-09")
        #expect(FlatValues.cell(nil, precision: 5) == "-")
        #expect(FlatValues.cell(.int(100), precision: 5) == "100")
    }

    @Test("The show table has one row per file and the union of keys as columns, '-' where a file lacks one")
    func showTable() throws {
        let snapshot = MetricsSnapshot(name: "workspace", files: [
            try metrics("eval/a.json", #"{"acc": 0.9, "loss": {"val": 0.25}}"#),
            try metrics("eval/b.yaml", "acc: 0.8\nf1: 0.7\n"),
            MetricsFile(path: "eval/gone.json", values: nil),
        ])
        let table = MetricsTable.table(snapshot)
        #expect(table.header == ["Path", "acc", "loss.val", "f1"])
        #expect(table.rows == [["eval/a.json", "0.9", "0.25", "-"], ["eval/b.yaml", "0.8", "-", "0.7"]])
        #expect(table.text() == """
            Path         acc  loss.val  f1
            eval/a.json  0.9  0.25      -
            eval/b.yaml  0.8  -         0.7

            """)
        #expect(table.markdown().hasPrefix("| Path | acc | loss.val | f1 |\n|---|---|---|---|\n| eval/a.json | 0.9 | 0.25 | - |"))
        #expect(snapshot.missing == ["eval/gone.json"])
        #expect(MetricsTable.json(snapshot).contains(#""missing":["eval/gone.json"]"#))
    }

    @Test("The diff has a numeric change column and hides unchanged metrics unless all are asked for")
    func diff() throws {
        let old = MetricsSnapshot(name: "HEAD", files: [try metrics("m.json", #"{"acc": 0.9, "n": 10, "name": "a"}"#)])
        let new = MetricsSnapshot(name: "workspace", files: [try metrics("m.json", #"{"acc": 0.95, "n": 10, "name": "b", "f1": 0.5}"#)])
        let diff = MetricsDiff(old: old, new: new)
        #expect(diff.visibleRows(all: false).map(\.key) == ["acc", "name", "f1"])
        #expect(diff.visibleRows(all: true).map(\.key) == ["acc", "n", "name", "f1"])
        let table = diff.table(all: false)
        #expect(table.header == ["Path", "Metric", "HEAD", "workspace", "Change"])
        #expect(table.rows == [["m.json", "acc", "0.9", "0.95", "0.05"], ["m.json", "name", "a", "b", "-"],
                               ["m.json", "f1", "-", "0.5", "-"]])
        #expect(diff.json(all: false).hasPrefix(#"{"m.json":{"acc":{"old":0.9,"new":0.95,"diff":0.0"#))
        #expect(diff.json(all: false).contains(#""f1":{"old":null,"new":0.5}"#))
    }

    @Test("A malformed metrics file is an error naming the file and its line")
    func malformed() {
        #expect {
            _ = try MetricsFile.parse(Data("{\"acc\": 0.9,,}".utf8), path: "eval/m.json")
        } throws: { error in
            guard let e = error as? PipeError else { return false }
            return e.exitCode == 2 && e.message.contains("eval/m.json") && e.location?.file == "eval/m.json"
        }
        #expect(throws: PipeError.self) { _ = try MetricsFile.parse(Data("[1, 2]".utf8), path: "m.json") }
    }
}
