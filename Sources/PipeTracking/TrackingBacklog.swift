import Foundation
import PipeMLflow

/// The runs whose calls could not be sent, kept under `.cache/tracking/runs/`, and their sending
/// (`pipe exp push-tracking`, and the end of every tracked run).
public struct TrackingBacklog: Sendable {
    /// The repository's `.cache`.
    public let cacheRoot: URL

    /// The backlog of the repository whose cache is `cacheRoot`.
    public init(cacheRoot: URL) { self.cacheRoot = cacheRoot }

    /// What a push did.
    public struct PushReport: Sendable {
        /// Runs sent completely (their directories removed).
        public var sent = 0
        /// Runs still kept (the server failed again, or they belong to another server).
        public var kept = 0
        /// Calls the server refused for their content (dropped), as messages.
        public var dropped: [String] = []
        /// The first error that stopped sending, if any.
        public var stoppedBy: MLflowError?
    }

    /// Sends every kept run to `client`'s server (the one configured now: a run kept while the URI was wrong goes
    /// where the corrected URI points), oldest first, stopping at the first failure that may pass later.
    public func push(client: MLflowClient, report: @Sendable (String) -> Void = { _ in }) async -> PushReport {
        var result = PushReport()
        let (runs, unreadable) = PendingRun.backlog(cacheRoot: cacheRoot)
        for file in unreadable { report("\(file) is damaged and was not sent; delete it") }
        for var run in runs {
            guard result.stoppedBy == nil else { result.kept += 1; continue }
            let directory = PendingRun.directory(id: run.id, cacheRoot: cacheRoot)
            let sender = TrackingSender(client: client, directory: directory)
            while let call = run.calls.first {
                switch await sender.send(call, of: &run) {
                case .sent:
                    run.calls.removeFirst()
                case let .dropped(error):
                    run.calls.removeFirst()
                    result.dropped.append(error.description)
                    if case .create = call { run.calls.removeAll() }
                case let .deferred(error, remaining):
                    run.calls[0] = remaining
                    result.stoppedBy = error
                }
                if result.stoppedBy != nil { break }
            }
            if run.calls.isEmpty {
                try? FileManager.default.removeItem(at: directory)
                result.sent += 1
            } else {
                try? run.save(cacheRoot: cacheRoot)
                result.kept += 1
            }
        }
        return result
    }
}
