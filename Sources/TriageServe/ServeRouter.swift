import Foundation
import Hummingbird
import Logging
import PipeBasics

/// The server's routes as a value: built from the model session, the batcher, the chat scheduler and the metrics,
/// so tests run it in-process (`app.test(.router)`) and the executable binds it to a socket.
///
/// Routes: `POST /v1/triage`, `POST /v1/chat/completions`, `POST /v1/completions`, `GET /v1/models`, `GET /v1/models/{model}`, `GET /health`, `GET /ready`,
/// `GET /metrics`. Every failure is an `APIError` JSON body; nothing a client sends can crash the process.
public struct ServeRouter: Sendable {
    let session: ModelSession
    let batcher: TriageBatcher
    let scheduler: GenerationScheduler
    let metrics: ServeMetrics
    let configuration: ServeConfiguration
    let logger: Logger
    let started = Int(Date().timeIntervalSince1970)

    /// Routes over these parts.
    public init(session: ModelSession, batcher: TriageBatcher, scheduler: GenerationScheduler, metrics: ServeMetrics,
                configuration: ServeConfiguration, logger: Logger) {
        self.session = session
        self.batcher = batcher
        self.scheduler = scheduler
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
    }

    /// The Hummingbird router.
    public func build() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.middlewares.add(RequestMetricsMiddleware(metrics: metrics))
        router.middlewares.add(OpenAIErrorMiddleware())
        router.get("/health") { _, _ in Self.json(.object([("status", .string("ok"))])) }
        router.get("/ready") { _, _ in await ready() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
        }
        router.get("/v1/models") { _, _ in models() }
        router.get("/v1/models/{model}") { _, context in
            await answer { try model(context.parameters.get("model") ?? "") }
        }
        router.post("/v1/triage") { request, _ in await answer { try await triage(request) } }
        router.post("/v1/chat/completions") { request, _ in await answer { try await chat(request) } }
        router.post("/v1/completions") { request, _ in await answer { try await completions(request) } }
        return router
    }

    /// 200 while the model is loaded and the server takes work; 503 once shutdown began.
    func ready() async -> Response {
        if await batcher.isDraining {
            return Self.error(APIError(status: .serviceUnavailable, message: "shutting down", type: "server_error",
                                       code: "shutting_down"))
        }
        return Self.json(.object([("status", .string("ready")), ("model", .string(session.name))]))
    }

    /// The OpenAI model list: the one served model.
    func models() -> Response {
        Self.json(.object([("object", .string("list")), ("data", .array([modelObject]))]))
    }

    /// `GET /v1/models/{model}` (OpenAI's "retrieve model"): the served model's object, or a 404 naming `model`.
    func model(_ id: String) throws -> Response {
        guard id == session.name else {
            throw APIError.notFound("model", "the model `\(id)` does not exist; this server serves `\(session.name)`")
        }
        return Self.json(modelObject)
    }

    /// The served model as OpenAI's model object (with vLLM's `max_model_len`).
    private var modelObject: JSONValue {
        .object([
            ("id", .string(session.name)), ("object", .string("model")), ("created", .int(started)),
            ("owned_by", .string("pipe")),
            ("max_model_len", .int(session.config.maxPositionEmbeddings)),
        ])
    }

    /// Runs a handler, turning any error into its JSON answer (unexpected ones as a 500 without details).
    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            return Self.error(error)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return Self.error(APIError(status: .contentTooLarge,
                                       message: "the body is larger than \(configuration.maxRequestBytes) bytes",
                                       type: "invalid_request_error", code: "body_too_large"))
        } catch {
            logger.error("request failed", metadata: ["error": .string(String(describing: type(of: error)))])
            return Self.error(APIError(status: .internalServerError, message: "internal error", type: "server_error",
                                       code: "internal"))
        }
    }

    /// The body of `request`, at most `maxRequestBytes`.
    func body(of request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: configuration.maxRequestBytes)
        return Data(buffer.readableBytesView)
    }

    /// A 200 JSON response.
    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: value.text())))
    }

    /// The JSON answer for `error`, with Retry-After when it has one.
    static func error(_ error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.json)))
    }
}
