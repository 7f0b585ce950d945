import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import TriageServe

/// Small helpers the router tests share: JSON bodies in and out, and bounded polling (tests never sleep to wait).
enum ServeTestSupport {
    /// A POST of `json` to `uri`.
    static func post(_ client: some TestClientProtocol, _ uri: String, _ json: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: json))
    }

    /// The body parsed as a JSON object.
    static func object(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    /// The body as text.
    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    /// The `error` object of an error body.
    static func error(_ response: TestResponse) -> [String: Any] { object(response)["error"] as? [String: Any] ?? [:] }

    /// Polls `condition` every 5 ms until it holds or `seconds` pass; returns whether it held.
    static func waitUntil(seconds: Double = 20, _ condition: @Sendable () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return await condition()
    }

    /// The `data:` payloads of a server-sent-events body, in order.
    static func events(_ body: String) -> [String] {
        body.components(separatedBy: "\n\n").filter { $0.hasPrefix("data: ") }.map { String($0.dropFirst(6)) }
    }

    /// The content pieces and finish reason of a streamed completion's chunks.
    static func streamed(_ events: [String]) -> (content: String, finish: String?, roleFirst: Bool) {
        var content = "", finish: String?, roleFirst = false
        for (index, event) in events.enumerated() where event != "[DONE]" {
            let object = (try? JSONSerialization.jsonObject(with: Data(event.utf8))) as? [String: Any] ?? [:]
            guard let choice = (object["choices"] as? [[String: Any]])?.first else { continue }
            let delta = choice["delta"] as? [String: Any] ?? [:]
            if index == 0 { roleFirst = delta["role"] as? String == "assistant" }
            content += delta["content"] as? String ?? ""
            if let reason = choice["finish_reason"] as? String { finish = reason }
        }
        return (content, finish, roleFirst)
    }
}

/// Holds the batcher's scorer until released, so a test can fill the queue deterministically.
actor ScoringGate {
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// How many batches have reached the scorer.
    private(set) var entered = 0

    /// Waits until `release()`.
    func pass() async {
        entered += 1
        if open { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    /// Lets every held and later batch through.
    func release() {
        open = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
