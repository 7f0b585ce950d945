import Foundation
import PipeCore

/// `--pull` of `repro` and `exp run`: a repro whose missing objects (the outs of stages that need not run, run-cache
/// entries) come from the remotes instead of being recomputed.
enum PullingRepro {
    /// Runs `body` with the remotes as its source of missing objects when `pull` is set (else with none), then
    /// prints what the fetches did on stderr. The repro runs on a thread of its own: its fetches block the
    /// scheduling thread, which must not be one of the concurrency pool's.
    static func run<T: Sendable>(pull: Bool, project: Project,
                                 _ body: @escaping @Sendable ((any MissingObjectSource)?) throws -> T) async throws -> T {
        guard pull else { return try body(nil) }
        let (result, fetched) = try await RemoteStorages.with { factory in
            let source = RemotePull(project: project, request: Project.RemoteRequest(), factory: factory)
            try await source.prepare()
            let result = try await onThreadOfItsOwn { try body(source) }
            return (result, source.report)
        }
        for failure in fetched.failures {
            Terminal.printErr("warning: could not fetch \(failure.path) (object \(failure.object)): \(failure.reason)")
        }
        Terminal.printErr("repro --pull: " + fetched.summary(verb: "fetched", place: "in the cache"))
        return result
    }

    /// Runs `body` on a new thread and waits for it without holding one of the pool's threads.
    private static func onThreadOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
