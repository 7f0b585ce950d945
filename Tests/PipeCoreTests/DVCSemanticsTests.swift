import Foundation
import Testing
@testable import PipeCore

/// Pipe keeps DVC's pipeline semantics where a DVC user relies on them.
@Suite struct DVCSemanticsTests {
    /// prep → train@a, train@b (a foreach group) → sweep@x-en, sweep@x-fr.
    func grouped() throws -> StageGraph {
        try StageGraph(pipeline: Pipeline(stages: [
            stage("prep", outs: ["data"]),
            stage("train@a", deps: ["data"], outs: ["a.bin"]),
            stage("train@b", deps: ["data"], outs: ["b.bin"]),
            stage("sweep@x-en", deps: ["a.bin"], outs: ["en.txt"]),
            stage("sweep@x-fr", deps: ["b.bin"], outs: ["fr.txt"]),
        ]))
    }

    /// download → prepare (frozen) → train; other is independent.
    func frozenChain() throws -> StageGraph {
        var prepare = stage("prepare", deps: ["raw"], outs: ["data"])
        prepare.frozen = true
        return try StageGraph(pipeline: Pipeline(stages: [
            stage("download", outs: ["raw"]), prepare, stage("train", deps: ["data"], outs: ["model"]),
        ]))
    }

    @Test func aTargetNamesAStageAGroupOrEitherAfterThePipelineFile() throws {
        let g = try grouped()
        #expect(try g.stageNames(targeting: ["train"]) == ["train@a", "train@b"])
        #expect(try g.stageNames(targeting: ["pipeline.yaml:train@b", "prep"]) == ["prep", "train@b"])
        #expect(try g.stageNames(targeting: ["./pipeline.yaml:sweep"]) == ["sweep@x-en", "sweep@x-fr"])
        #expect(try g.stageNames(targeting: ["pipeline.yaml"]) == g.order)
    }

    @Test func withGlobATargetIsAPatternOverStageNames() throws {
        let g = try grouped()
        #expect(try g.stageNames(targeting: ["*@x-en", "train@?"], glob: true) == ["train@a", "train@b", "sweep@x-en"])
        #expect(try g.stageNames(targeting: ["pipeline.yaml:sweep@*"], glob: true) == ["sweep@x-en", "sweep@x-fr"])
    }

    @Test func aTargetMatchingNothingOrNamingAnotherFileIsAnUnknownStage() throws {
        let g = try grouped()
        let glob = #expect(throws: PipeError.self) { _ = try g.stageNames(targeting: ["eval*"], glob: true) }
        #expect(glob?.code == .unknownStage)
        #expect(glob?.message == "no stage matches 'eval*' in pipeline.yaml")
        let file = #expect(throws: PipeError.self) { _ = try g.stageNames(targeting: ["dvc.yaml:prep"]) }
        #expect(file?.code == .unknownStage)
        #expect(file?.message == "no pipeline file 'dvc.yaml' in target 'dvc.yaml:prep'")
        #expect(file?.fix == "stages live in pipeline.yaml: write 'pipeline.yaml:prep' or just the stage name")
    }

    @Test func theActiveUpstreamOfAStageStopsAtAFrozenStage() throws {
        let g = try frozenChain()
        #expect(g.upstream(of: "train") == ["download", "prepare"])
        #expect(g.activeUpstream(of: "train") == ["prepare"])
        #expect(g.activeUpstream(of: "prepare") == [])
        #expect(g.activeDownstream(of: "download") == [])
        #expect(g.activeDownstream(of: "prepare") == ["train"])
    }

    @Test func statusOfATargetBelowAFrozenStageLeavesOutWhatTheFrozenStageWasBuiltFrom() throws {
        let g = try frozenChain()
        let status = PipelineStatus(pipeline: g.pipeline, graph: g, lock: LockFile(),
                                    invalidation: StageInvalidation(pipeline: g.pipeline, hashing: FakeHashing()))
        #expect(try status.evaluate(targets: ["train"]).map(\.stage) == ["prepare", "train"])
        #expect(try status.evaluate(targets: ["train*"], glob: true).map(\.stage) == ["prepare", "train"])
    }

    @Test func aCommandStageWithNoDepsParamsOrOutputsIsAlwaysChangedLikeADVCCallbackStage() throws {
        let callback = Stage(name: "notify", command: .shell(["echo done"]))
        let plugin = Stage(name: "probe", command: .plugin(name: "probe", args: []))
        let withOut = stage("make", outs: ["x"])
        let pipeline = Pipeline(stages: [callback, plugin, withOut])
        let fs = FakeHashing()
        fs.set("x", 1)
        let inv = StageInvalidation(pipeline: pipeline, hashing: fs)
        func entry(_ s: Stage) -> LockedStage {
            LockedStage(cmd: inv.commandText(of: s), deps: [], params: [:], outs: s.outs.compactMap { fs.files[$0.path] })
        }
        #expect(callback.isCallback && !plugin.isCallback && !withOut.isCallback)
        #expect(try inv.reasons(for: callback, entry: entry(callback)) == [.alwaysChanged])
        #expect(try inv.reasons(for: callback, entry: nil) == [.neverRun, .alwaysChanged])
        #expect(try inv.reasons(for: plugin, entry: entry(plugin)).isEmpty)
        #expect(try inv.reasons(for: withOut, entry: entry(withOut)).isEmpty)
    }
}
