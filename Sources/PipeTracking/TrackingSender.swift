import Foundation
import PipeHTTP
import PipeMLflow

/// Sends a pending run's calls in order. A call the server could not take now (down, slow, failing) stops the
/// sending and stays first in line; a call it refused for its content is dropped and reported, since sending it
/// again would be refused again.
struct TrackingSender: Sendable {
    let client: MLflowClient
    /// Where upload files are read from: the run's directory.
    let directory: URL

    /// What sending one call did.
    enum Outcome: Sendable {
        case sent
        /// Refused for its content: dropped.
        case dropped(MLflowError)
        /// Not sent; try again later. `remaining` replaces the call (part of a split batch may have gone).
        case deferred(MLflowError, remaining: TrackingCall)
    }

    /// Sends `call` of `run`, filling in the ids the server hands out.
    func send(_ call: TrackingCall, of run: inout PendingRun) async -> Outcome {
        do throws(MLflowError) {
            switch call {
            case let .create(name, startTime, tags):
                let experimentID = try await ensureExperiment(&run)
                let info = try await client.createRun(experimentID: experimentID, name: name, startTime: startTime,
                                                      tags: tags)
                run.runID = info.runID
                run.artifactURI = info.artifactURI
            case let .log(batch):
                let runID = try requireRun(run)
                var chunks = batch.split()[...]
                while let chunk = chunks.first {
                    do throws(MLflowError) {
                        try await client.logBatch(runID: runID, metrics: chunk.metrics, params: chunk.params,
                                                  tags: chunk.tags)
                    } catch where error.isRetryable {
                        return .deferred(error, remaining: .log(Self.merged(chunks)))
                    }
                    chunks = chunks.dropFirst()
                }
            case let .upload(path, file):
                _ = try requireRun(run)
                let url = directory.appendingPathComponent(file)
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
                guard let size else { return .dropped(.badResponse(target: path, reason: "staged file \(file) is gone")) }
                try await client.uploadArtifact(artifactURI: run.artifactURI ?? "", path: path,
                                                body: .file(path: url.path, offset: 0, length: Int64(size)))
            case let .finish(status, endTime, name):
                try await client.updateRun(runID: try requireRun(run), status: status, endTime: endTime, name: name)
            }
            return .sent
        } catch {
            return error.isRetryable ? .deferred(error, remaining: call) : .dropped(error)
        }
    }

    private func ensureExperiment(_ run: inout PendingRun) async throws(MLflowError) -> String {
        if let id = run.experimentID { return id }
        let id = try await client.experimentID(named: run.experiment)
        run.experimentID = id
        return id
    }

    /// A run that was never created cannot take calls: the create call comes first, so this means it was refused.
    private func requireRun(_ run: PendingRun) throws(MLflowError) -> String {
        guard let id = run.runID else {
            throw .badResponse(target: "run \(run.id)", reason: "the run was never created on the server")
        }
        return id
    }

    static func merged(_ batches: some Collection<MLflowBatch>) -> MLflowBatch {
        MLflowBatch(metrics: batches.flatMap(\.metrics), params: batches.flatMap(\.params), tags: batches.flatMap(\.tags))
    }

    /// The transport tracking uses: short timeouts and no retry, so a server that is down costs about a second
    /// (async-http-client keeps trying to connect until the connect timeout) and a slow one a few, and never the
    /// pipeline's time: calls are sent beside the stages, and a failure pauses the run into the backlog.
    static let transportConfiguration = HTTPTransport.Configuration(
        connectTimeout: .seconds(1), readTimeout: .seconds(5), requestTimeout: .seconds(30),
        maxConnectionsPerHost: 4, retry: .none, userAgent: "pipe-tracking")
}
