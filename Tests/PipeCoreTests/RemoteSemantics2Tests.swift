import Foundation
import Testing
@testable import PipeCore

/// Which outs a remote command selects from its targets (`TransferSelection`), and the locks `gc -a/-T` keep
/// (`RefLocks`), in memory and in a real git repository.
@Suite struct RemoteSemantics2CoreTests {
    func graph() throws -> StageGraph {
        try StageGraph(pipeline: Pipeline(stages: [
            Stage(name: "prep", command: .shell(["true"]), outs: [Output(path: "data"), Output(path: "notes.txt"),
                                                                   Output(path: "m.json", cache: false)]),
            Stage(name: "train", command: .shell(["true"]), deps: [Dependency(path: "data")],
                  outs: [Output(path: "model.bin")]),
        ]))
    }

    func lock() -> LockFile {
        func locked(_ path: String, _ low: UInt64, directory: Bool = false) -> LockedPath {
            LockedPath(path: path, hash: ContentHash(high: 1, low: low), size: 1, nfiles: directory ? 2 : nil)
        }
        return LockFile(stages: [
            "prep": LockedStage(cmd: "true", deps: [], params: [:], outs: [locked("data", 1, directory: true), locked("notes.txt", 2)]),
            "train": LockedStage(cmd: "true", deps: [], params: [:], outs: [locked("model.bin", 3)]),
        ])
    }

    func selected(_ targets: [String]) throws -> [String] {
        let graph = try graph()
        return try TransferSelection.select(pipeline: graph.pipeline, graph: graph,
                                            locks: [KeptLock(source: "workspace", lock: lock())], targets: targets,
                                            defaultRemote: "store").items.map(\.out.path)
    }

    @Test("a stage target selects all its cached outs; an out path, ./path, path/ or a path inside a directory out selects that out")
    func pathTargets() throws {
        #expect(try selected([]) == ["data", "notes.txt", "model.bin"])
        #expect(try selected(["prep"]) == ["data", "notes.txt"])
        #expect(try selected(["notes.txt"]) == ["notes.txt"])
        #expect(try selected(["./model.bin"]) == ["model.bin"])
        #expect(try selected(["data/"]) == ["data"])
        #expect(try selected(["data/sub/file.csv"]) == ["data"])
        #expect(try selected(["notes.txt", "prep"]) == ["data", "notes.txt"])   // the whole stage wins
        #expect(try selected(["model.bin", "notes.txt"]) == ["notes.txt", "model.bin"])   // stage order
        #expect(try selected(["m.json"]) == [])   // cache: false: a target, with nothing to move
    }

    @Test("a target that is neither a stage nor an out is the graph's unknown-stage error")
    func unknownTarget() throws {
        let error = #expect(throws: PipeError.self) { _ = try selected(["dat"]) }
        #expect(error?.code == .unknownStage)
        let prefix = #expect(throws: PipeError.self) { _ = try selected(["notes.txt.bak"]) }
        #expect(prefix?.code == .unknownStage)
    }

    @Test("RefLocks reads the pipe.lock of each branch tip and each tag (annotated tags peeled), none outside git")
    func refLocks() throws {
        let repo = try TempRepo(["pipe.lock": "schema: 1\nstages: {}\n"])
        #expect(try RefLocks.locks(.branches, repoRoot: repo.root).isEmpty)
        let env = ["GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"]
        func git(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = env + ["git"] + args
            p.currentDirectoryURL = repo.root
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "git \(args)")
        }
        try git("init", "-q", "-b", "main")
        try git("add", "-A")
        try git("commit", "-q", "-m", "one")
        try git("tag", "-a", "-m", "release", "r1")
        try git("tag", "light")
        try git("checkout", "-q", "-b", "empty")
        try git("rm", "-q", "pipe.lock")
        try git("commit", "-q", "-m", "no lock")
        #expect(try RefLocks.locks(.branches, repoRoot: repo.root).map(\.source) == ["branch main"])
        #expect(try RefLocks.locks(.tags, repoRoot: repo.root).map(\.source) == ["tag light", "tag r1"])
    }
}
