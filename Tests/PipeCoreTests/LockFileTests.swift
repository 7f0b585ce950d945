import Foundation
import Testing
@testable import PipeCore

@Suite struct LockFileTests {
    let h1 = ContentHash(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210)
    let h2 = ContentHash(high: 1, low: 2)

    func sample() -> LockFile {
        LockFile(stages: [
            "train": LockedStage(
                cmd: "python train.py --lr 1e-4\necho done",
                deps: [LockedPath(path: "src/train.py", hash: h2, size: 10),
                       LockedPath(path: "data/clean", hash: h1, size: 2048, nfiles: 3)],
                params: ["params.yaml": [LockedParam(key: "train.lr", value: .double(0.0002)),
                                         LockedParam(key: "train.epochs", value: .int(3)),
                                         LockedParam(key: "train.name", value: .string("true")),
                                         LockedParam(key: "model", value: .dict([("layers", .list([.int(1), .dict([("a", .null)])])),
                                                                                 ("act", .string("silu"))]))]],
                outs: [LockedPath(path: "models/m.bin", hash: h1, size: 7)]),
            "a-prep": LockedStage(cmd: "plugin:prep --x", deps: [], params: [:], outs: []),
        ])
    }

    @Test func aLockRoundTripsThroughItsYamlText() throws {
        let lock = sample()
        let parsed = try LockFile.parse(lock.yamlText())
        #expect(parsed == lock)
        #expect(parsed.yamlText() == lock.yamlText())
    }

    @Test func theTextIsDeterministicWithStagesSortedAndDepsSortedByPath() {
        let text = sample().yamlText()
        #expect(text.hasPrefix("schema: 1\nstages:\n  a-prep:\n"))
        let clean = text.range(of: "path: data/clean")!.lowerBound
        let src = text.range(of: "path: src/train.py")!.lowerBound
        #expect(clean < src)
        #expect(text.contains("hash: 0123456789abcdeffedcba9876543210"))
        #expect(text.contains("nfiles: 3"))
    }

    @Test func declaringDepsInAnotherOrderGivesTheSameBytes() {
        let a = LockedStage(cmd: "x", deps: [LockedPath(path: "b", hash: h1, size: 1), LockedPath(path: "a", hash: h2, size: 1)],
                            params: ["p.yaml": [LockedParam(key: "z", value: .int(1)), LockedParam(key: "y", value: .int(2))]], outs: [])
        let b = LockedStage(cmd: "x", deps: [LockedPath(path: "a", hash: h2, size: 1), LockedPath(path: "b", hash: h1, size: 1)],
                            params: ["p.yaml": [LockedParam(key: "y", value: .int(2)), LockedParam(key: "z", value: .int(1))]], outs: [])
        #expect(LockFile(stages: ["s": a]).yamlText() == LockFile(stages: ["s": b]).yamlText())
    }

    @Test func stringsThatLookLikeOtherTypesStayStrings() throws {
        let lock = LockFile(stages: ["s": LockedStage(cmd: "1.5", deps: [], params: ["params.yaml": [
            LockedParam(key: "a", value: .string("yes")), LockedParam(key: "b", value: .string("12")),
            LockedParam(key: "c", value: .string("")), LockedParam(key: "d", value: .string("a: b")),
            LockedParam(key: "e", value: .double(1e-5)), LockedParam(key: "f", value: .double(2)),
        ]], outs: [])])
        let parsed = try LockFile.parse(lock.yamlText())
        #expect(parsed == lock)
        #expect(parsed.stages["s"]?.param(file: "params.yaml", key: "f") == .double(2))
        #expect(parsed.stages["s"]?.cmd == "1.5")
    }

    @Test func mergeConflictMarkersAreReportedWithTheirLine() {
        let text = "schema: 1\nstages:\n<<<<<<< HEAD\n  a:\n    cmd: x\n=======\n  a:\n    cmd: y\n>>>>>>> other\n"
        #expect {
            try LockFile.parse(text)
        } throws: { error in
            let e = error as! PipeError
            return e.code == .lockConflict && e.location?.line == 3 && e.exitCode == 2
        }
    }

    @Test func aMalformedEntryNamesItsKeyPath() {
        let text = "schema: 1\nstages:\n  a:\n    cmd: x\n    deps:\n    - path: f\n      hash: nothex\n      size: 1\n"
        #expect {
            try LockFile.parse(text)
        } throws: { error in
            let e = error as! PipeError
            return e.code == .lockCorrupt && e.keyPath == "stages.a.deps[0].hash" && e.location?.line == 6
        }
    }

    @Test func anEmptyLockIsEmpty() throws {
        #expect(try LockFile.parse("") == LockFile())
        #expect(try LockFile.parse("schema: 1\nstages:\n") == LockFile())
    }
}
