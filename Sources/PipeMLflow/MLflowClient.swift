import Foundation
import PipeBasics
import PipeHTTP

/// A client of MLflow's REST API (`/api/2.0/mlflow/…`) and its artifact proxy, over the project's one HTTP stack
/// (`PipeHTTP.HTTPTransport`). Request bodies are written with `JSONValue`; answers decoded with `JSONDecoder`.
///
/// Each call is one request with the transport's retry policy; errors are `MLflowError`, which say whether a
/// later retry could succeed (`isRetryable`), so a caller can keep what failed for later.
public struct MLflowClient: Sendable {
    /// The server.
    public let endpoint: MLflowEndpoint
    let transport: HTTPTransport
    let auth: MLflowAuth?

    /// A client of the server at `endpoint`, sending through `transport`, authenticated by `auth` when given.
    public init(endpoint: MLflowEndpoint, transport: HTTPTransport, auth: MLflowAuth? = nil) {
        self.endpoint = endpoint
        self.transport = transport
        self.auth = auth
    }

    /// The id of the experiment called `name`, created when the server has none; `.experimentDeleted` when it is
    /// deleted (as MLflow's `set_experiment` refuses it: the server would refuse every run in it).
    public func experimentID(named name: String) async throws(MLflowError) -> String {
        struct Found: Decodable {
            struct Experiment: Decodable { var experiment_id: String; var lifecycle_stage: String? }
            var experiment: Experiment
        }
        struct Created: Decodable { var experiment_id: String }
        do throws(MLflowError) {
            let found: Found = try await get("experiments/get-by-name", query: [("experiment_name", name)])
            if found.experiment.lifecycle_stage == "deleted" {
                throw .experimentDeleted(name: name, id: found.experiment.experiment_id)
            }
            return found.experiment.experiment_id
        } catch .rejected(_, _, "RESOURCE_DOES_NOT_EXIST", _) {
            do throws(MLflowError) {
                let created: Created = try await post("experiments/create", .object([("name", .string(name))]))
                return created.experiment_id
            } catch .rejected(_, _, "RESOURCE_ALREADY_EXISTS", _) {   // created meanwhile by another client
                let found: Found = try await get("experiments/get-by-name", query: [("experiment_name", name)])
                return found.experiment.experiment_id
            }
        }
    }

    /// Creates a run in `experimentID` called `name`, started at `startTime` (ms), with `tags`; its (deprecated but
    /// still shown) `user_id` is the `mlflow.user` tag, as MLflow's Python client sets it.
    public func createRun(experimentID: String, name: String, startTime: Int64,
                          tags: [MLflowKeyValue] = []) async throws(MLflowError) -> MLflowRunInfo {
        struct Answer: Decodable { var run: MLflowRun }
        let body = JSONValue.object([
            ("experiment_id", .string(experimentID)), ("run_name", .string(name)),
            ("start_time", .int(Int(startTime))), ("tags", Self.pairs(tags)),
            ("user_id", .string(tags.last { $0.key == "mlflow.user" }?.value ?? "unknown")),
        ])
        let answer: Answer = try await post("runs/create", body)
        return answer.run.info
    }

    /// One `runs/log-batch` call; the caller keeps within MLflow's limits (`MLflowBatch.split`).
    public func logBatch(runID: String, metrics: [MLflowMetric] = [], params: [MLflowKeyValue] = [],
                         tags: [MLflowKeyValue] = []) async throws(MLflowError) {
        let body = JSONValue.object([
            ("run_id", .string(runID)),
            ("metrics", .array(metrics.map {
                .object([("key", .string($0.key)), ("value", Self.number($0.value)),
                         ("timestamp", .int(Int($0.timestamp))), ("step", .int(Int($0.step)))])
            })),
            ("params", Self.pairs(params)), ("tags", Self.pairs(tags)),
        ])
        let _: Empty = try await post("runs/log-batch", body)
    }

    /// Sets a run's status, end time (ms) and/or name (`runs/update`).
    public func updateRun(runID: String, status: MLflowRunStatus? = nil, endTime: Int64? = nil,
                          name: String? = nil) async throws(MLflowError) {
        var fields: [(String, JSONValue)] = [("run_id", .string(runID))]
        if let status { fields.append(("status", .string(status.rawValue))) }
        if let endTime { fields.append(("end_time", .int(Int(endTime)))) }
        if let name { fields.append(("run_name", .string(name))) }
        let _: Empty = try await post("runs/update", .object(fields))
    }

    /// A run with its latest metrics, params and tags (`runs/get`).
    public func run(id: String) async throws(MLflowError) -> MLflowRun {
        struct Answer: Decodable { var run: MLflowRun }
        let answer: Answer = try await get("runs/get", query: [("run_id", id)])
        return answer.run
    }

    /// Every logged point of metric `key` of a run (`metrics/get-history`, all pages), in the server's order.
    public func metricHistory(runID: String, key: String) async throws(MLflowError) -> [MLflowMetric] {
        struct Page: Decodable { var metrics: [MLflowMetric]?; var next_page_token: String? }
        var points: [MLflowMetric] = []
        var token: String?
        repeat {
            var query = [("run_id", runID), ("metric_key", key), ("max_results", "25000")]
            if let token { query.append(("page_token", token)) }
            let page: Page = try await get("metrics/get-history", query: query)
            points += page.metrics ?? []
            token = page.next_page_token.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return points
    }

    /// Runs of `experimentIDs` matching MLflow's search `filter` (e.g. `tags."pipe.project" = 'x'`), newest first.
    public func searchRuns(experimentIDs: [String], filter: String = "",
                           maxResults: Int = 100) async throws(MLflowError) -> [MLflowRun] {
        struct Answer: Decodable { var runs: [MLflowRun]? }
        let body = JSONValue.object([
            ("experiment_ids", .array(experimentIDs.map { .string($0) })), ("filter", .string(filter)),
            ("max_results", .int(maxResults)), ("order_by", .array([.string("attributes.start_time DESC")])),
        ])
        let answer: Answer = try await post("runs/search", body)
        return answer.runs ?? []
    }

    /// The artifacts of a run directly under `path` (`artifacts/list`; the root when empty).
    public func listArtifacts(runID: String, path: String = "") async throws(MLflowError) -> [MLflowArtifact] {
        struct Answer: Decodable { var files: [MLflowArtifact]? }
        var query = [("run_id", runID)]
        if !path.isEmpty { query.append(("path", path)) }
        let answer: Answer = try await get("artifacts/list", query: query)
        return answer.files ?? []
    }

    /// Uploads `body` as artifact `path` of the run whose artifact URI is `artifactURI`, through the server's
    /// proxy: `PUT /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>`.
    public func uploadArtifact(artifactURI: String, path: String, body: HTTPRequestBody) async throws(MLflowError) {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else { throw .artifactsNotProxied(artifactURI: artifactURI) }
        var location = String(artifactURI.dropFirst(scheme.count))
        while location.hasPrefix("/") { location.removeFirst() }
        let segments = (location.split(separator: "/") + path.split(separator: "/")).map { Self.encodeSegment(String($0)) }
        let request = HTTPRequest(method: "PUT", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                  path: endpoint.basePath + "/api/2.0/mlflow-artifacts/artifacts/"
                                      + segments.joined(separator: "/"),
                                  headers: [("Content-Type", "application/octet-stream")], body: body)
        let _: Empty = try await send(request)
    }

    // MARK: - Requests

    struct Empty: Decodable {}
    /// MLflow's error answer.
    struct ErrorBody: Decodable { var error_code: String?; var message: String? }

    private func get<Answer: Decodable>(_ method: String, query: [(String, String)]) async throws(MLflowError) -> Answer {
        let encoded = query.map { "\(Self.encodeSegment($0.0))=\(Self.encodeSegment($0.1))" }.joined(separator: "&")
        return try await send(HTTPRequest(method: "GET", scheme: endpoint.scheme, host: endpoint.host,
                                          port: endpoint.port, path: endpoint.basePath + "/api/2.0/mlflow/" + method,
                                          query: encoded))
    }

    private func post<Answer: Decodable>(_ method: String, _ body: JSONValue) async throws(MLflowError) -> Answer {
        try await send(HTTPRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                                   path: endpoint.basePath + "/api/2.0/mlflow/" + method,
                                   headers: [("Content-Type", "application/json")],
                                   body: .bytes(Array(body.text(.compact).utf8))))
    }

    private func send<Answer: Decodable>(_ request: HTTPRequest) async throws(MLflowError) -> Answer {
        let target = request.displayTarget
        let response: HTTPResponse
        do {
            response = try await transport.send(request, signer: auth, to: .memory(limit: 64 << 20))
        } catch let error as HTTPError {
            throw .transport(error)
        } catch {
            throw .badResponse(target: target, reason: "\(error)")
        }
        guard response.isSuccess else {
            let failure = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
            throw .rejected(target: target, status: response.status, code: failure?.error_code ?? "HTTP_\(response.status)",
                            message: failure?.message ?? response.bodyExcerpt)
        }
        if Answer.self == Empty.self, let empty = Empty() as? Answer { return empty }
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(response.body))
        } catch {
            throw .badResponse(target: target, reason: "\(error)")
        }
    }

    private static func pairs(_ pairs: [MLflowKeyValue]) -> JSONValue {
        .array(pairs.map { .object([("key", .string($0.key)), ("value", .string($0.value))]) })
    }

    /// MLflow takes NaN and infinities as the strings Python's JSON writes for them.
    private static func number(_ value: Double) -> JSONValue {
        if value.isNaN { return .string("NaN") }
        if value.isInfinite { return .string(value > 0 ? "Infinity" : "-Infinity") }
        return .double(value)
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encodeSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// Credentials MLflow's own clients read: a bearer token (`MLFLOW_TRACKING_TOKEN`) or basic auth
/// (`MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`). Added per attempt; never printed.
public enum MLflowAuth: HTTPRequestSigner {
    /// `Authorization: Bearer <token>`.
    case bearer(String)
    /// `Authorization: Basic …`.
    case basic(username: String, password: String)

    /// The credentials in `environment`, if any are set.
    public static func from(environment: [String: String]) -> MLflowAuth? {
        if let token = environment["MLFLOW_TRACKING_TOKEN"], !token.isEmpty { return .bearer(token) }
        if let user = environment["MLFLOW_TRACKING_USERNAME"], let password = environment["MLFLOW_TRACKING_PASSWORD"] {
            return .basic(username: user, password: password)
        }
        return nil
    }

    /// Adds the `Authorization` header.
    public func sign(_ request: inout HTTPRequest) {
        switch self {
        case .bearer(let token):
            request.headers.append(("Authorization", "Bearer \(token)"))
        case .basic(let user, let password):
            request.headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        }
    }
}
