import Foundation
import Testing
@testable import PipeCore

/// Experiment records (JSON round trip, ids, names) and the `exp show` table.
@Suite struct ExperimentTests {
    func record(name: String, created: String, lr: Double, acc: Double) -> ExperimentRecord {
        let params: [String: ParamValue] = ["params.yaml": .dict([("train", .dict([("lr", .double(lr)), ("epochs", .int(3))]))])]
        return ExperimentRecord(
            id: ExperimentRecord.contentID(lock: "schema: 1\n", files: ["params.yaml": "lr: \(lr)\n"], explicitName: name),
            name: name, created: created, baseCommit: nil,
            overrides: [ParamsOverride(key: "train.lr", text: "\(lr)", value: .double(lr))],
            params: params, metrics: ["m.json": [("acc", .double(acc)), ("loss.val", .int(1))]],
            files: ["params.yaml": "train:\n  lr: \(lr)  # \"quoted\" comment\n"], lock: "schema: 1\nstages:\n")
    }

    @Test("a record survives its JSON round trip exactly, and serialises to the same bytes every time")
    func roundTrip() throws {
        let r = record(name: "a", created: "2026-01-01T00:00:00.000Z", lr: 0.1, acc: 0.5)
        let text = r.jsonText()
        let back = try ExperimentRecord(parsing: text, file: "x.json")
        #expect(back == r)
        #expect(back.jsonText() == text)
        #expect(back.params["params.yaml"]?.value(at: "train.epochs") == .int(3))
        #expect(back.files == r.files)
    }

    @Test("a damaged record is an error naming the file")
    func damagedRecord() throws {
        do {
            _ = try ExperimentRecord(parsing: "{\"schema\": 1, \"id\": 3}", file: ".cache/exps/x.json")
            Issue.record("expected an error")
        } catch let error as PipeError {
            #expect(error.message.contains(".cache/exps/x.json"))
        }
    }

    @Test("the id depends on the lock, the files and an explicit name, not on the order files are listed")
    func contentID() {
        let a = ExperimentRecord.contentID(lock: "l", files: ["a": "1", "b": "2"], explicitName: nil)
        #expect(a == ExperimentRecord.contentID(lock: "l", files: ["b": "2", "a": "1"], explicitName: nil))
        #expect(a != ExperimentRecord.contentID(lock: "l2", files: ["a": "1", "b": "2"], explicitName: nil))
        #expect(a != ExperimentRecord.contentID(lock: "l", files: ["a": "1", "b": "3"], explicitName: nil))
        #expect(a != ExperimentRecord.contentID(lock: "l", files: ["a": "1", "b": "2"], explicitName: "n"))
        #expect(a.count == 32)
    }

    @Test("names are letters, digits, dot, underscore and dash")
    func names() {
        #expect(ExperimentRecord.isValidName("lr-0.1_b"))
        #expect(!ExperimentRecord.isValidName("-x"))
        #expect(!ExperimentRecord.isValidName("a/b"))
        #expect(!ExperimentRecord.isValidName(""))
    }

    @Test("the table shows the workspace first, only params that differ, every metric, and '-' for missing values")
    func table() {
        let e1 = record(name: "one", created: "2026-01-01T00:00:00.000Z", lr: 0.1, acc: 0.5)
        let e2 = record(name: "two", created: "2026-01-01T00:00:01.000Z", lr: 0.2, acc: 0.75)
        let table = ExperimentTable(workspaceParams: e2.params, workspaceMetrics: [:], experiments: [e1, e2])
        #expect(table.rows.map(\.name) == ["workspace", "one", "two"])
        #expect(table.paramColumns == ["train.lr"])
        #expect(table.metricColumns == ["acc", "loss.val"])
        let text = table.plainText()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("Experiment  Created"))
        #expect(lines[1].hasPrefix("workspace") && lines[1].hasSuffix("-"))
        #expect(lines[2].contains("0.1") && lines[2].contains("0.5"))
        #expect(table.markdown().contains("| two | 2026-01-01T00:00:01.000Z | 0.2 | 0.75 | 1 |"))
        #expect(table.json().hasPrefix("{\"schema\":1,\"columns\":{\"params\":[\"train.lr\"],\"metrics\":[\"acc\",\"loss.val\"]}"))
    }

    @Test("metrics flatten nested objects with dots and lists by index")
    func flattenMetrics() {
        let tree: ParamValue = .dict([("a", .dict([("b", .int(1))])), ("l", .list([.int(2), .int(3)])), ("s", .string("x"))])
        let flat = MetricsReader.flatten(tree, listsAsValues: false)
        #expect(flat.map(\.0) == ["a.b", "l.0", "l.1", "s"])
    }
}
