import Foundation
import Testing
@testable import PipeCore

/// An output cache that holds nothing, for decisions that never reach the store.
private struct EmptyCache: OutputCache {
    func store(_ out: LockedPath) throws {}
    func canRestore(_ out: LockedPath) -> Bool { false }
    func restore(_ out: LockedPath) throws {}
    func storeCopy(_ out: LockedPath) throws {}
    func restoreCopy(_ out: LockedPath) throws {}
}

/// The engine pieces behind the second DVC-semantics audit, in memory where they can be.
@Suite struct DVCSemantics2Tests {
    @Test("connected(to:) is a stage's whole pipeline: every stage linked to it in either direction, in topological order")
    func connectedComponent() throws {
        let g = try StageGraph(pipeline: Pipeline(stages: [
            stage("lone", outs: ["lone.txt"]),
            stage("join", deps: ["left.txt", "right.txt"], outs: ["join.txt"]),
            stage("prepare", deps: ["raw.txt"], outs: ["prep.txt"]),
            stage("left", deps: ["prep.txt"], outs: ["left.txt"]),
            stage("right", deps: ["prep.txt"], outs: ["right.txt"]),
        ]))
        #expect(g.connected(to: "left") == ["prepare", "right", "join"])
        #expect(g.connected(to: "join") == ["prepare", "left", "right"])
        #expect(g.connected(to: "lone") == [])
        #expect(g.connected(to: "nope") == [])
    }

    @Test("the run cache, and the restore-instead-of-rerun shortcut, cover exactly the stages DVC's run cache hashes")
    func runCacheCoverage() throws {
        let plain = Stage(name: "plain", command: .shell(["x"]), deps: [Dependency(path: "in")], outs: [Output(path: "o")])
        let paramsOnly = Stage(name: "p", command: .shell(["x"]), params: [ParamReference(file: "params.yaml", key: "a")],
                               outs: [Output(path: "o2")])
        let noDeps = Stage(name: "n", command: .shell(["x"]), outs: [Output(path: "o3")])
        let persisted = Stage(name: "s", command: .shell(["x"]), deps: [Dependency(path: "in")],
                              outs: [Output(path: "o4", persist: true)])
        var always = plain
        always.name = "a"
        always.alwaysChanged = true
        let noOuts = Stage(name: "d", command: .shell(["x"]), deps: [Dependency(path: "in")])
        let pipeline = Pipeline(stages: [plain, paramsOnly, noDeps, persisted, always, noOuts])
        let decider = RerunDecider(invalidation: StageInvalidation(pipeline: pipeline, hashing: FakeHashing()),
                                   cache: EmptyCache(), runCache: RunCache(cacheRoot: URL(fileURLWithPath: "/nonexistent")))
        #expect(pipeline.stages.map(decider.usesRunCache) == [true, true, false, false, false, false])
    }

    @Test("root gets no hard links (its writes would reach the cache object); other users keep the default order")
    func linkOrder() {
        #expect(ProjectStorage.linkOrder(forRoot: true) == [.reflink, .copy])
        #expect(ProjectStorage.linkOrder(forRoot: false) == [.reflink, .hardlink, .copy])
    }

    @Test("params diff JSON carries DVC's numeric diff: an int between ints, a float otherwise, none for text")
    func paramsDiffJSON() {
        let diff = ParamsDiff(oldName: "HEAD", old: [ParamKey(file: "params.yaml", key: "n"): .int(3),
                                                      ParamKey(file: "params.yaml", key: "lr"): .double(0.1),
                                                      ParamKey(file: "params.yaml", key: "s"): .string("x")],
                              newName: "workspace", new: [ParamKey(file: "params.yaml", key: "n"): .int(5),
                                                          ParamKey(file: "params.yaml", key: "lr"): .int(1),
                                                          ParamKey(file: "params.yaml", key: "s"): .string("y")])
        #expect(diff.json(all: false) ==
            #"{"params.yaml":{"lr":{"old":0.1,"new":1,"diff":0.9},"n":{"old":3,"new":5,"diff":2},"s":{"old":"x","new":"y"}}}"# + "\n")
    }

    @Test("unprotecting a persisted output replaces its read-only files by writable copies and leaves the originals alone")
    func unprotect() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-unprotect-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("out/sub"), withIntermediateDirectories: true)
        let object = dir.appendingPathComponent("object").path
        try Data("cached\n".utf8).write(to: URL(fileURLWithPath: object))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: object)
        let linked = dir.appendingPathComponent("out/sub/linked").path
        try FileManager.default.linkItem(atPath: object, toPath: linked)
        let own = dir.appendingPathComponent("out/own").path
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: own))

        try PersistentOutput.unprotect(dir.appendingPathComponent("out").path)
        let attributes = try FileManager.default.attributesOfItem(atPath: linked)
        #expect(attributes[.posixPermissions] as? Int == 0o644)
        #expect(attributes[.referenceCount] as? Int == 1)
        try Data("appended\n".utf8).write(to: URL(fileURLWithPath: linked))
        #expect(FileManager.default.contents(atPath: object) == Data("cached\n".utf8))
        #expect(FileManager.default.contents(atPath: own) == Data("mine\n".utf8))
        try PersistentOutput.unprotect(dir.appendingPathComponent("missing").path)     // nothing to do
    }
}
