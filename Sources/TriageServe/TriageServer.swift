import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Tensors
import Triage

/// The whole server: the model session, the triage batcher and the chat scheduler (both services), the metrics and
/// the router, assembled into a Hummingbird application.
///
/// Shutdown order comes from the service group, which stops services in reverse: the HTTP server stops accepting
/// and finishes its in-flight requests first, then the scheduler and the batcher drain and return.
public struct TriageServer: Sendable {
    /// The loaded model.
    public let session: ModelSession
    /// Dynamic batching of `/v1/triage`.
    public let batcher: TriageBatcher
    /// Continuous batching of `/v1/chat/completions`.
    public let scheduler: GenerationScheduler
    /// The Prometheus metrics.
    public let metrics: ServeMetrics
    /// The settings it runs with.
    public let configuration: ServeConfiguration
    /// Where it logs.
    public let logger: Logger

    /// Assembles a server over a loaded `session`; a `scorer` replaces the session's for tests that need to hold a
    /// batch (a full queue).
    public init(session: ModelSession, configuration: ServeConfiguration, logger: Logger,
                scorer: TriageBatcher.Scorer? = nil) {
        let metrics = ServeMetrics()
        self.session = session
        self.metrics = metrics
        self.configuration = configuration
        self.logger = logger
        batcher = TriageBatcher(scorer: scorer ?? { prompts in await session.scores(prompts) },
                                window: configuration.batchWindow, maxBatch: configuration.maxBatch,
                                queueSize: configuration.queueSize, metrics: metrics)
        scheduler = GenerationScheduler(session: session, maxBatch: configuration.maxBatch,
                                        queueSize: configuration.queueSize, timeout: configuration.requestTimeout,
                                        metrics: metrics)
    }

    /// Loads the model `configuration` names (throws `StartupError` when it does not validate) and assembles the
    /// server; applies the BLAS thread setting first.
    public static func load(_ configuration: ServeConfiguration, logger: Logger) throws(StartupError) -> TriageServer {
        TrainingRuntime.configure()
        if let threads = configuration.threads { BLAS.setThreadCount(threads) }
        return TriageServer(session: try ModelSession.load(configuration, logger: logger), configuration: configuration,
                            logger: logger)
    }

    /// The router as a value.
    public var router: Router<BasicRequestContext> {
        ServeRouter(session: session, batcher: batcher, scheduler: scheduler, metrics: metrics,
                    configuration: configuration, logger: logger).build()
    }

    /// The application: the router bound to `host:port`, with the batcher and scheduler as its services;
    /// `onServerRunning` gets the bound port (useful with port 0).
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(router: router,
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                                         serverName: "triage-serve"),
                    services: [batcher, scheduler],
                    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
                    logger: logger)
    }
}
