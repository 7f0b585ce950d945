import Foundation
import Testing
@testable import PipeCore

/// `LockWriter`: entries batched into at most one lock write per interval, `.gitignore` lines passed once.
@Suite struct LockWriterTests {
    final class Ignored: @unchecked Sendable {
        var batches: [[String]] = []
    }

    func stage(_ name: String, outs: [Output]) -> Stage { Stage(name: name, command: .shell(["true"]), outs: outs) }

    func entry(_ text: String) -> LockedStage {
        LockedStage(cmd: text, deps: [], params: [:], outs: [])
    }

    @Test("the first entry is written at once, later ones wait for the interval, write() flushes them with their ignores")
    func batchesWritesPerInterval() throws {
        let dir = try HashingScratchDirectory()
        let workspace = Workspace(root: dir.url)
        let ignored = Ignored()
        var writer = try LockWriter(workspace: workspace, stageNames: ["a", "b"], interval: 3600) { ignored.batches.append($0) }
        let start = Date()
        #expect(try writer.writeIfDue(now: start) == nil)                // nothing recorded: nothing to do
        writer.record(entry("one"), of: stage("a", outs: [Output(path: "a.out"), Output(path: "m.json", cache: false)]))
        #expect(try writer.writeIfDue(now: start) == nil)
        #expect(try workspace.readLock().stages["a"]?.cmd == "one")
        #expect(ignored.batches == [["a.out"]])

        writer.record(entry("two"), of: stage("b", outs: [Output(path: "b.out"), Output(path: "a.out")]))
        let due = try #require(try writer.writeIfDue(now: Date()))
        #expect(due > Date().addingTimeInterval(3000))                  // deferred by the interval
        #expect(try workspace.readLock().stages["b"] == nil)
        try writer.write()
        #expect(try workspace.readLock().stages["b"]?.cmd == "two")
        #expect(ignored.batches == [["a.out"], ["b.out"]])               // a.out passed once
        #expect(try writer.writeIfDue() == nil)
    }

    @Test("entries of stages no longer in the pipeline are dropped when the lock is written")
    func dropsRemovedStages() throws {
        let dir = try HashingScratchDirectory()
        let workspace = Workspace(root: dir.url)
        try workspace.writeLock(LockFile(stages: ["gone": entry("old"), "a": entry("old")]), keeping: ["gone", "a"])
        var writer = try LockWriter(workspace: workspace, stageNames: ["a"], interval: 0) { _ in }
        #expect(writer.lock.stages["gone"] != nil)
        try writer.write()
        #expect(try workspace.readLock().stages.keys.sorted() == ["a"])
    }
}
