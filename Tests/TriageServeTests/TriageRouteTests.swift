import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Triage
import TriageData
@testable import TriageServe

/// `/v1/triage`, `/health`, `/ready`, `/v1/models` and `/metrics`, in-process through the router.
@Suite struct TriageRouteTests {
    let fixture = ServeFixture.shared

    @Test func healthReadyAndModelsAnswerWithTheServedModel() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok && ServeTestSupport.object(health)["status"] as? String == "ok")
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok && ServeTestSupport.object(ready)["model"] as? String == "merged")
            let models = try await client.execute(uri: "/v1/models", method: .get)
            let data = ServeTestSupport.object(models)["data"] as? [[String: Any]]
            #expect(ServeTestSupport.object(models)["object"] as? String == "list")
            #expect(data?.first?["id"] as? String == "merged" && data?.first?["object"] as? String == "model")
            // OpenAI's "retrieve model": the same object by id, a 404 naming `model` for any other id.
            let one = try await client.execute(uri: "/v1/models/merged", method: .get)
            #expect(one.status == .ok && NSDictionary(dictionary: ServeTestSupport.object(one)).isEqual(to: data?.first ?? [:]))
            let other = try await client.execute(uri: "/v1/models/gpt-4o", method: .get)
            #expect(other.status == .notFound && ServeTestSupport.error(other)["param"] as? String == "model")
        }
    }

    @Test func triageScoresEqualEvaluatesClassifierScoresAtTheReportsOperatingPoint() async throws {
        // Evaluate's code path: the model loaded as evaluate loads `merged`, one record at a time.
        let inputs = try TrainingInputs(baseDirectory: URL(fileURLWithPath: fixture.directory), maxLength: 256)
        let model = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        let classifier = TriageClassifier(model: model, encoder: inputs.encoder,
                                          operatingPoint: TriageOperatingPoint(immediateBias: fixture.bias))
        let records = fixture.records
        let expected = records.map { classifier.scores(promptIds: inputs.encoder.promptIds($0)) }
        let expectedLabels = expected.map { classifier.operatingPoint.label(scores: $0).rawValue }
        let bias = fixture.bias
        let server = try fixture.server { $0.batchWindow = .milliseconds(20) }
        try await server.application().test(.router) { client in
            // The batch form: every record in one request (one batched pass).
            let inputsJSON = records.map { #"{"text":\#(Self.quoted($0.text)),"lang":"\#($0.lang.rawValue)"}"# }
            let batch = try await ServeTestSupport.post(client, "/v1/triage", #"{"inputs":[\#(inputsJSON.joined(separator: ","))]}"#)
            #expect(batch.status == .ok)
            let results = ServeTestSupport.object(batch)["results"] as? [[String: Any]] ?? []
            #expect(results.count == records.count)
            for (result, want) in zip(results, expected) {
                let scores = result["scores"] as? [String: Double] ?? [:]
                for (label, value) in zip(TriageLabel.allCases, want) {
                    #expect(abs((scores[label.rawValue] ?? .nan) - value) < 1e-4, "\(label): \(scores) vs \(want)")
                }
                #expect((result["operating_point"] as? [String: Double])?["immediate_bias"] == bias)
            }
            #expect(results.map { $0["label"] as? String } == expectedLabels)
            // The bare list is the same batch.
            let list = try await ServeTestSupport.post(client, "/v1/triage", "[\(inputsJSON.joined(separator: ","))]")
            let listed = ServeTestSupport.object(list)["results"] as? [[String: Any]] ?? []
            #expect(listed.map { $0["label"] as? String } == expectedLabels)
            #expect(listed.map { $0["scores"] as? [String: Double] } == results.map { $0["scores"] as? [String: Double] })
            // Concurrent single requests: batched together by the batcher, same scores.
            let singles = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for (index, record) in records.prefix(8).enumerated() {
                    group.addTask {
                        let response = try await ServeTestSupport.post(client, "/v1/triage",
                                                                       #"{"text":\#(Self.quoted(record.text)),"lang":"\#(record.lang.rawValue)"}"#)
                        return (index, ServeTestSupport.text(response))
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            for (index, body) in singles {
                let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
                let scores = object["scores"] as? [String: Double] ?? [:]
                #expect(abs((scores["immediate"] ?? .nan) - expected[index][0]) < 1e-4)
                #expect(object["lang"] as? String == records[index].lang.rawValue && object["lang_detected"] as? Bool == false)
                #expect((object["latency_ms"] as? Double ?? -1) >= 0 && object["model"] as? String == "merged")
            }
        }
        #expect(await server.batcher.largestBatch > 1, "concurrent requests should share a pass")
    }

    @Test func theLanguageIsDetectedWhenTheRequestLeavesItOut() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let french = try await ServeTestSupport.post(client, "/v1/triage",
                #"{"text":"Patiente de 54 ans avec une douleur thoracique depuis deux heures, elle est essoufflée et pâle."}"#)
            #expect(ServeTestSupport.object(french)["lang"] as? String == "fr")
            #expect(ServeTestSupport.object(french)["lang_detected"] as? Bool == true)
            let english = try await ServeTestSupport.post(client, "/v1/triage",
                #"{"text":"A 54 year old woman with chest pain for two hours, she is short of breath and pale."}"#)
            #expect(ServeTestSupport.object(english)["lang"] as? String == "en")
        }
    }

    @Test(arguments: [
        (#"{"text": "chest pain""#, "invalid_json", nil as String?),
        (#"{"txt":"chest pain"}"#, "unknown_field", "txt"),
        (#"{"text":"   "}"#, "empty_text", "text"),
        (#"{"lang":"en"}"#, "missing_field", "text"),
        (#"{"text":"chest pain","lang":"de"}"#, "invalid_value", "lang"),
        (#"{"text":42}"#, "invalid_type", "text"),
        (#"{"inputs":[]}"#, "empty_inputs", "inputs"),
        (#"{"inputs":[{"text":"a"},{"text":"b","colour":"red"}]}"#, "unknown_field", "inputs[1].colour"),
        (#"{"inputs":[{"text":"a"}],"text":"b"}"#, "unknown_field", "text"),
        (#"[1, 2]"#, "invalid_type", "[0]"),
        (#"[]"#, "empty_inputs", nil),
        (#"null"#, "invalid_type", nil),
        (#"[{"text":"a"},{"txt":"b"}]"#, "unknown_field", "[1].txt"),
    ])
    func badTriageBodiesAre400sNamingTheField(body: String, code: String, param: String?) async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let response = try await ServeTestSupport.post(client, "/v1/triage", body)
            let error = ServeTestSupport.error(response)
            #expect(response.status == .badRequest)
            #expect(error["code"] as? String == code, "\(error)")
            #expect(error["param"] as? String == param, "\(error)")
            #expect(error["type"] as? String == "invalid_request_error")
        }
    }

    @Test func oversizedBodiesAndTooManyInputsAreRefused() async throws {
        let server = try fixture.server { $0.maxRequestBytes = 200; $0.maxInputs = 2 }
        try await server.application().test(.router) { client in
            let big = try await ServeTestSupport.post(client, "/v1/triage", #"{"text":"\#(String(repeating: "a", count: 500))"}"#)
            #expect(big.status == .contentTooLarge && ServeTestSupport.error(big)["code"] as? String == "body_too_large")
            let many = try await ServeTestSupport.post(client, "/v1/triage", #"{"inputs":[{"text":"a"},{"text":"b"},{"text":"c"}]}"#)
            #expect(many.status == .badRequest && ServeTestSupport.error(many)["param"] as? String == "inputs")
            let unknown = try await client.execute(uri: "/v2/nothing", method: .get)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func aFullQueueAnswers429WithRetryAfterAndTheQueuedRequestsStillComplete() async throws {
        let gate = ScoringGate()
        let session = try fixture.server().session
        let server = try fixture.server(scorer: { prompts in
            await gate.pass()
            return await session.scores(prompts)
        }) { $0.maxBatch = 1; $0.queueSize = 1; $0.batchWindow = .zero }
        let body = #"{"text":"chest pain since this morning","lang":"en"}"#
        try await server.application().test(.router) { client in
            // The first request's batch holds at the gate; the second waits in the queue, which is then full.
            async let first = ServeTestSupport.post(client, "/v1/triage", body)
            #expect(await ServeTestSupport.waitUntil { await gate.entered == 1 })
            async let second = ServeTestSupport.post(client, "/v1/triage", body)
            #expect(await ServeTestSupport.waitUntil { await server.batcher.queueDepth == 1 })
            let refused = try await ServeTestSupport.post(client, "/v1/triage", body)
            #expect(refused.status == .tooManyRequests)
            #expect(Int(refused.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(ServeTestSupport.error(refused)["code"] as? String == "queue_full")
            await gate.release()
            #expect(try await first.status == .ok)
            #expect(try await second.status == .ok)
        }
    }

    @Test func aRequestThatWaitsPastTheTimeoutGets504AndLeavesTheQueue() async throws {
        let gate = ScoringGate()
        let server = try fixture.server(scorer: { prompts in
            await gate.pass()
            return prompts.map { _ in [0, 0, 0] }
        }) { $0.maxBatch = 1; $0.batchWindow = .zero; $0.requestTimeout = .milliseconds(200) }
        try await server.application().test(.router) { client in
            let response = try await ServeTestSupport.post(client, "/v1/triage", #"{"text":"cough","lang":"en"}"#)
            #expect(response.status == .gatewayTimeout && ServeTestSupport.error(response)["code"] as? String == "timeout")
            await gate.release()
        }
    }

    @Test func metricsCountRequestsByRouteAndStatusAndRecordBatchesAndQueueDepth() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            _ = try await ServeTestSupport.post(client, "/v1/triage", #"{"text":"fever and cough","lang":"en"}"#)
            _ = try await ServeTestSupport.post(client, "/v1/triage", #"{"txt":"x"}"#)
            let metrics = ServeTestSupport.text(try await client.execute(uri: "/metrics", method: .get))
            #expect(metrics.contains(#"triage_serve_requests_total{route="/v1/triage",status="200"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"triage_serve_requests_total{route="/v1/triage",status="400"} 1"#))
            #expect(metrics.contains("triage_serve_request_duration_seconds_bucket"))
            #expect(metrics.contains("triage_serve_batch_size_count 1"))
            #expect(metrics.contains(#"triage_serve_queue_depth{queue="triage"} 0"#))
            #expect(metrics.contains("triage_serve_generated_tokens_total"))
        }
    }

    @Test func aLiveSocketServesTriageAndHealth() async throws {
        let server = try fixture.server()
        try await server.application().test(.live) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let response = try await ServeTestSupport.post(client, "/v1/triage", #"{"text":"severe bleeding","lang":"en"}"#)
            #expect(response.status == .ok)
            #expect(TriageLabel(rawValue: ServeTestSupport.object(response)["label"] as? String ?? "") != nil)
        }
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
