import Foundation
import Testing
@testable import PipeCore

@Suite struct ParamsDiffTests {
    func key(_ k: String, _ file: String = "params.yaml") -> ParamKey { ParamKey(file: file, key: k) }

    @Test("Rows cover both sides, sorted by file and key; changed means appeared, vanished or different")
    func rows() {
        let diff = ParamsDiff(oldName: "lock", old: [key("train.lr"): .double(0.1), key("train.epochs"): .int(3),
                                                     key("gone"): .bool(true)],
                              newName: "workspace", new: [key("train.lr"): .double(0.05), key("train.epochs"): .int(3),
                                                          key("a", "other.yaml"): .string("x")])
        #expect(diff.rows.map(\.key) == ["a", "gone", "train.epochs", "train.lr"])
        #expect(diff.visibleRows(all: false).map(\.key) == ["a", "gone", "train.lr"])
        let table = diff.table(all: false)
        #expect(table.header == ["Path", "Param", "lock", "workspace"])
        #expect(table.rows == [["other.yaml", "a", "-", "x"], ["params.yaml", "gone", "true", "-"],
                               ["params.yaml", "train.lr", "0.1", "0.05"]])
        #expect(diff.json(all: false) ==
                #"{"other.yaml":{"a":{"old":null,"new":"x"}},"params.yaml":{"gone":{"old":true,"new":null},"train.lr":{"old":0.1,"new":0.05,"diff":-0.05}}}"#
                + "\n")
    }

    @Test("An int and an equal double are the same value, not a change")
    func numericEquality() {
        let diff = ParamsDiff(oldName: "a", old: [key("x"): .int(1)], newName: "b", new: [key("x"): .double(1.0)])
        #expect(diff.visibleRows(all: false).isEmpty)
    }

    @Test("Lock values flatten sections to leaves and prefer the first stage in pipeline order")
    func lockedValues() {
        let section = LockedParam(key: "train", value: .dict([("lr", .double(0.1)), ("opt", .dict([("b1", .double(0.9))]))]))
        let lock = LockFile(stages: [
            "b": LockedStage(cmd: "x", deps: [], params: ["params.yaml": [LockedParam(key: "train.lr", value: .double(0.2))]], outs: []),
            "a": LockedStage(cmd: "x", deps: [], params: ["params.yaml": [section]], outs: []),
        ])
        let values = ParamsDiff.locked(in: lock, order: ["a", "b"])
        #expect(values[key("train.lr")] == .double(0.1))
        #expect(values[key("train.opt.b1")] == .double(0.9))
        #expect(ParamsDiff.locked(in: lock, order: ["b", "a"])[key("train.lr")] == .double(0.2))
    }

    @Test("Declared params are the leaves of each stage's keys and sections")
    func declared() throws {
        let params = ParamValue.dict([("train", .dict([("lr", .double(0.1)), ("epochs", .int(2))])), ("seed", .int(1))])
        let stage = Stage(name: "t", command: .shell(["true"]), params: [ParamReference(file: "params.yaml", key: "train")])
        let pipeline = Pipeline(stages: [stage], paramsFiles: ["params.yaml": params])
        #expect(Set(ParamsDiff.declared(in: pipeline).keys) == [key("train.lr"), key("train.epochs")])
        #expect(Set(ParamsDiff.allValues(in: pipeline).keys) == [key("train.lr"), key("train.epochs"), key("seed")])
    }
}
