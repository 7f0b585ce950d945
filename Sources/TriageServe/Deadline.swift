/// Runs async work under a time limit: the per-request timeout of the server.
enum Deadline {
    /// The result of `operation`, or `APIError.timedOut` when it takes longer than `limit` (the operation is then
    /// cancelled, which takes a queued request out of the queue).
    static func run<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw APIError.timedOut(after: Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}
