import Foundation
import PipeCore
import PipeHTTP
import PipeMLflow

/// One tracked run while the pipeline runs: calls are queued and sent in order by a background task, so the
/// pipeline never waits for the server. The first failure is reported once (through `report`) and ends the
/// sending for this run; what was not sent is kept as a backlog in `.cache/tracking/runs/<id>/` by `close`.
public final class RunTracker: @unchecked Sendable {
    /// Where the run goes.
    public let settings: TrackingSettings
    /// The run's local id and directory name.
    public let id: String
    /// The run's directory: staged artifact files, and `run.json` when a backlog is kept.
    public let directory: URL
    let cacheRoot: URL
    private let client: MLflowClient
    private let transport: HTTPTransport
    private let report: @Sendable (String) -> Void

    private let lock = NSLock()
    private var run: PendingRun
    private var sending = false
    private var halted = false
    private var dropped: [String] = []

    /// Starts tracking a run called `name` (the create call is queued at once).
    public init(settings: TrackingSettings, cacheRoot: URL, name: String, tags: [MLflowKeyValue],
                environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date(),
                report: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.cacheRoot = cacheRoot
        self.report = report
        id = Self.stamp(now) + "-" + UUID().uuidString.prefix(8).lowercased()
        directory = PendingRun.directory(id: id, cacheRoot: cacheRoot)
        transport = HTTPTransport(configuration: TrackingSender.transportConfiguration)
        client = MLflowClient(endpoint: settings.endpoint, transport: transport,
                              auth: MLflowAuth.from(environment: environment))
        run = PendingRun(id: id, uri: settings.endpoint.display, experiment: settings.experiment)
        enqueue(.create(name: name, startTime: Self.milliseconds(now), tags: tags))
    }

    /// Queues `call`; sending starts in the background unless the server already failed this run.
    public func enqueue(_ call: TrackingCall) {
        let start: Bool = lock.withLock {
            run.calls.append(call)
            guard !sending, !halted else { return false }
            sending = true
            return true
        }
        if start { Task.detached { [self] in await drain() } }
    }

    /// The run id the server gave, once created.
    public var runID: String? { lock.withLock { run.runID } }

    /// Sends queued calls until none is left or one fails; consecutive log calls go as one batch.
    private func drain() async {
        let sender = TrackingSender(client: client, directory: directory)
        while true {
            let next: (TrackingCall, Int, PendingRun)? = lock.withLock {
                guard !halted, let first = run.calls.first else { sending = false; return nil }
                guard case .log = first else { return (first, 1, run) }
                var batches: [MLflowBatch] = []
                for call in run.calls { if case let .log(batch) = call { batches.append(batch) } else { break } }
                return (.log(TrackingSender.merged(batches)), batches.count, run)
            }
            guard let next else { return }
            let (call, count, snapshot) = next
            var updated = snapshot
            let outcome = await sender.send(call, of: &updated)
            let problem: String? = lock.withLock {
                run.experimentID = updated.experimentID
                run.runID = updated.runID
                run.artifactURI = updated.artifactURI
                switch outcome {
                case .sent:
                    run.calls.removeFirst(count)
                    return nil
                case let .dropped(error):
                    run.calls.removeFirst(count)
                    dropped.append(error.description)
                    if case .create = call {   // nothing else can follow, nor be sent later
                        run.calls.removeAll()
                        halted = true
                        sending = false
                    }
                    return dropped.count == 1 ? "MLflow refused a call (\(error)); it is not kept" : nil
                case let .deferred(error, remaining):
                    run.calls.replaceSubrange(0..<count, with: [remaining])
                    halted = true
                    sending = false
                    return "MLflow tracking paused for this run: \(error)"
                }
            }
            if let problem { report(problem) }
            if case .deferred = outcome { return }
            if case .dropped = outcome, case .create = call { return }
        }
    }

    /// What closing a run left.
    public struct Closing: Sendable {
        /// The server's run id, when the run was created.
        public var runID: String?
        /// Calls kept for `pipe exp push-tracking` (0 when everything was sent).
        public var keptCalls: Int
        /// Older backlogged runs sent completely on the way.
        public var sentBacklog: Int
    }

    /// Waits up to `timeout` for the queued calls, then keeps whatever is left as the backlog (`run.json`) or,
    /// when all was sent, removes the run's directory; older backlogged runs are sent too while time remains.
    public func close(timeout: Duration = .seconds(20)) -> Closing {
        let deadline = ContinuousClock.now + timeout
        while lock.withLock({ sending }) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let snapshot: PendingRun = lock.withLock {
            halted = true        // a drain still waiting on the server stops at its next call
            return run
        }
        var sentBacklog = 0
        if snapshot.calls.isEmpty {
            try? FileManager.default.removeItem(at: directory)
            let remaining = deadline - ContinuousClock.now
            if remaining > .zero {
                let cacheRoot = self.cacheRoot, client = self.client, report = self.report
                sentBacklog = Self.blocking(timeout: remaining) {
                    await TrackingBacklog(cacheRoot: cacheRoot).push(client: client, report: report).sent
                } ?? 0
            }
        } else {
            do {
                try snapshot.save(cacheRoot: cacheRoot)
                report("\(snapshot.calls.count) MLflow call(s) kept in .cache/tracking/runs/\(id); "
                       + "send them with `pipe exp push-tracking`")
            } catch {
                report("could not keep the unsent MLflow calls: \(error)")
            }
        }
        let transport = self.transport
        _ = Self.blocking(timeout: .seconds(2)) { try? await transport.shutdown() }
        return Closing(runID: snapshot.runID, keptCalls: snapshot.calls.count, sentBacklog: sentBacklog)
    }

    /// Runs `body` to completion or until `timeout`, from synchronous code; nil on timeout.
    static func blocking<T: Sendable>(timeout: Duration, _ body: @escaping @Sendable () async -> T) -> T? {
        let box = BlockingBox<T>()
        Task.detached {
            box.value = await body()
            box.done.signal()
        }
        let nanos = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        guard box.done.wait(timeout: .now() + .nanoseconds(Int(nanos))) == .success else { return nil }
        return box.value
    }

    /// Milliseconds since 1970, MLflow's clock.
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// `20261204T201500Z`: run directories sort by start time.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }
}

/// The result of an async body awaited from synchronous code (`RunTracker.blocking`).
final class BlockingBox<T: Sendable>: @unchecked Sendable {
    var value: T?
    let done = DispatchSemaphore(value: 0)
}
