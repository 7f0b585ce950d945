import Foundation
import Testing
@testable import PipeCore

/// An in-memory workspace: path → snapshot.
final class FakeHashing: PathHashing, @unchecked Sendable {
    var files: [String: LockedPath] = [:]
    func set(_ path: String, _ n: UInt64, nfiles: Int? = nil) {
        files[path] = LockedPath(path: path, hash: ContentHash(high: 0, low: n), size: Int64(n), nfiles: nfiles)
    }
    func snapshot(of path: String) throws -> LockedPath? { files[path] }
    func invalidate(_ path: String) {}
}

@Suite struct StageInvalidationTests {
    let stage = Stage(name: "train", command: .shell(["python train.py"]),
                      deps: [Dependency(path: "data/clean"), Dependency(path: "train.py")],
                      params: [ParamReference(file: "params.yaml", key: "train")],
                      outs: [Output(path: "model.bin")])

    func pipeline(lr: Double) -> Pipeline {
        Pipeline(stages: [stage], paramsFiles: ["params.yaml": .dict([("train", .dict([("lr", .double(lr)), ("epochs", .int(2))]))])])
    }

    func lockedEntry(_ inv: StageInvalidation, _ fs: FakeHashing) -> LockedStage {
        LockedStage(cmd: inv.commandText(of: stage), deps: inv.depPaths(of: stage).compactMap { fs.files[$0] },
                    params: inv.paramsEntry(of: stage), outs: [fs.files["model.bin"]!])
    }

    func workspace() -> FakeHashing {
        let fs = FakeHashing()
        fs.set("data/clean", 1, nfiles: 2)
        fs.set("train.py", 2)
        fs.set("model.bin", 3)
        return fs
    }

    @Test func aStageMatchingItsLockEntryHasNoReasons() throws {
        let fs = workspace()
        let inv = StageInvalidation(pipeline: pipeline(lr: 2e-4), hashing: fs)
        #expect(try inv.reasons(for: stage, entry: lockedEntry(inv, fs)).isEmpty)
    }

    @Test func aStageWithoutEntryWasNeverRun() throws {
        let inv = StageInvalidation(pipeline: pipeline(lr: 2e-4), hashing: workspace())
        #expect(try inv.reasons(for: stage, entry: nil) == [.neverRun])
    }

    @Test func aChangedParamInADeclaredSectionNamesTheLeafKeyAndBothValues() throws {
        let fs = workspace()
        let before = StageInvalidation(pipeline: pipeline(lr: 2e-4), hashing: fs)
        let entry = lockedEntry(before, fs)
        let after = StageInvalidation(pipeline: pipeline(lr: 1e-4), hashing: fs)
        let reasons = try after.reasons(for: stage, entry: entry)
        #expect(reasons == [.paramChanged(file: "params.yaml", key: "train.lr", old: .double(2e-4), new: .double(1e-4))])
        #expect(reasons[0].description == "param train.lr 0.0002 → 0.0001")
    }

    @Test func changedDepsMissingOutsAndModifiedOutsAreEachReported() throws {
        let fs = workspace()
        let inv = StageInvalidation(pipeline: pipeline(lr: 2e-4), hashing: fs)
        let entry = lockedEntry(inv, fs)
        fs.set("train.py", 9)
        fs.files["model.bin"] = nil
        #expect(try inv.reasons(for: stage, entry: entry) == [.depChanged(path: "train.py"), .outMissing(path: "model.bin")])
        fs.set("model.bin", 4)
        fs.set("train.py", 2)
        let reasons = try inv.reasons(for: stage, entry: entry)
        #expect(reasons == [.outModified(path: "model.bin")])
        #expect(reasons.allSatisfy { $0.isOutputOnly })
    }

    @Test func aChangedCommandAndImplicitCodeDepsAreReasons() throws {
        let fs = workspace()
        fs.set("stages/train", 5, nfiles: 1)
        let inv = StageInvalidation(pipeline: pipeline(lr: 2e-4), hashing: fs, codeDeps: ["train": ["stages/train"]])
        var entry = lockedEntry(inv, fs)
        #expect(try inv.reasons(for: stage, entry: entry).isEmpty)
        fs.set("stages/train", 6, nfiles: 1)
        #expect(try inv.reasons(for: stage, entry: entry) == [.depChanged(path: "stages/train")])
        entry.cmd = "python old.py"
        #expect(try inv.reasons(for: stage, entry: entry).first == .commandChanged(old: "python old.py", new: "python train.py"))
    }

    @Test func addedAndRemovedParamsAreReasons() throws {
        let fs = workspace()
        let inv = StageInvalidation(pipeline: pipeline(lr: 2e-4), hashing: fs)
        var entry = lockedEntry(inv, fs)
        entry.params["params.yaml"] = [LockedParam(key: "train", value: .dict([("lr", .double(2e-4)), ("seed", .int(1))]))]
        let reasons = try inv.reasons(for: stage, entry: entry)
        #expect(reasons.contains(.paramAdded(file: "params.yaml", key: "train.epochs", value: .int(2))))
        #expect(reasons.contains(.paramRemoved(file: "params.yaml", key: "train.seed", old: .int(1))))
    }

    @Test func stageEnvironmentCarriesExactlyTheDeclaredParamsNested() {
        let tree = StageLaunch.paramsTree(["params.yaml": [("train.lr", .double(0.5)), ("data", .dict([("n", .int(3))]))]])
        #expect(tree.jsonText == #"{"train":{"lr":0.5},"data":{"n":3}}"#)
    }
}
