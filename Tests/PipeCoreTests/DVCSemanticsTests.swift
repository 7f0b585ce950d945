import Foundation
import Testing
@testable import PipeCore

/// Pipe keeps DVC's pipeline semantics where a DVC user relies on them.
@Suite struct DVCSemanticsTests {
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
