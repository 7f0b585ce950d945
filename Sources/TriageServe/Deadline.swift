import Synchronization

/// Runs async work under a time limit: the per-request timeout of the server.
enum Deadline {
    /// The result of `operation`, or `APIError.timedOut` as soon as `limit` passes (the operation is then cancelled,
    /// which takes a queued request out of the queue; one already being scored finishes unseen). Unlike a task
    /// group, the caller does not wait for the cancelled operation to return.
    static func run<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        let work = Task { try await operation() }
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.start(continuation)
                let timer = Task {
                    try await Task.sleep(for: limit)
                    let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18
                    if outcome.finish(.failure(APIError.timedOut(after: seconds))) { work.cancel() }
                }
                Task {
                    let result = await work.result
                    if outcome.finish(result) { timer.cancel() }
                }
            }
        } onCancel: {
            work.cancel()
        }
    }

    /// Resumes a continuation once, with whichever result comes first.
    private final class Outcome<T: Sendable>: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<T, any Error>?, done: Bool)>((nil, false))

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            state.withLock { $0.continuation = continuation }
        }

        /// Resumes with `result` unless already resumed; returns whether this call did.
        func finish(_ result: Result<T, any Error>) -> Bool {
            let continuation = state.withLock { value -> CheckedContinuation<T, any Error>? in
                guard !value.done else { return nil }
                value.done = true
                return value.continuation
            }
            continuation?.resume(with: result)
            return continuation != nil
        }
    }
}
