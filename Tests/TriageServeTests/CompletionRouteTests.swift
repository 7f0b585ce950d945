import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Triage
import TriageData
@testable import TriageServe

/// `/v1/completions`: OpenAI's legacy Completions API as vLLM serves it — raw prompts, token-id prompts, batches,
/// `n`, `echo`, legacy `logprobs`, streaming, and the fields it refuses.
@Suite struct CompletionRouteTests {
    let fixture = ServeFixture.shared
    static let note = "58 year old man, chest pain since this morning"

    static func post(_ client: some TestClientProtocol, _ json: String) async throws -> [String: Any] {
        let response = try await ServeTestSupport.post(client, "/v1/completions", json)
        #expect(response.status == .ok, "\(ServeTestSupport.text(response))")
        return ServeTestSupport.object(response)
    }

    static func texts(_ object: [String: Any]) -> [String] {
        (object["choices"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "" }
    }

    @Test func aRawPromptIsCompletedAsTheModelsOwnGreedyGenerationWithOpenAIsShapeAndSixteenTokensByDefault() async throws {
        let server = try fixture.server()
        let prompt = server.session.encoder.encode(Self.note)
        let model = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        let greedy = model.generateGreedy(prompt: prompt, maxNewTokens: 16)
        try await server.application().test(.router) { client in
            let object = try await Self.post(client, #"{"model":"merged","prompt":"\#(Self.note)"}"#)
            #expect(object["object"] as? String == "text_completion" && (object["id"] as? String)?.hasPrefix("cmpl-") == true)
            #expect(object["model"] as? String == "merged" && object["created"] is Int)
            let choice = try #require((object["choices"] as? [[String: Any]])?.first)
            #expect(Set(choice.keys) == ["index", "text", "logprobs", "finish_reason"] && choice["logprobs"] is NSNull)
            let stopped = greedy.firstIndex { server.session.stopTokenIds.contains($0) }
            let expected = try server.session.encoder.tokenizer.decode(Array(greedy[..<(stopped ?? greedy.count)]), skipSpecialTokens: true)
            #expect(choice["text"] as? String == expected)
            #expect(choice["finish_reason"] as? String == (stopped == nil ? "length" : "stop"))
            let usage = object["usage"] as? [String: Int] ?? [:]
            #expect(usage["prompt_tokens"] == prompt.count && usage["completion_tokens"] == (stopped.map { $0 + 1 } ?? 16))
        }
    }

    @Test func tokenIdPromptsBatchesNAndEchoAnswerOneChoicePerPromptAndSampleInPromptMajorOrder() async throws {
        let server = try fixture.server()
        let ids = server.session.encoder.encode(Self.note)
        let idList = "[" + ids.map(String.init).joined(separator: ",") + "]"
        try await server.application().test(.router) { client in
            let byText = Self.texts(try await Self.post(client, #"{"prompt":"\#(Self.note)","max_tokens":8}"#))
            let byIds = Self.texts(try await Self.post(client, #"{"prompt":\#(idList),"max_tokens":8}"#))
            #expect(byIds == byText)
            // Two prompts × n 2, seeded: choice 2·p + j is prompt p sampled with seed + j.
            let sampled = #","max_tokens":8,"temperature":1.0,"seed":9"#
            let batch = try await Self.post(client, #"{"prompt":["\#(Self.note)","fever and cough"],"n":2"# + sampled + "}")
            var expected: [String] = []
            for prompt in [Self.note, "fever and cough"] {
                for j in 0..<2 {
                    expected += Self.texts(try await Self.post(client, #"{"prompt":"\#(prompt)","max_tokens":8,"temperature":1.0,"seed":\#(9 + j)}"#))
                }
            }
            #expect(Self.texts(batch) == expected)
            #expect(((batch["choices"] as? [[String: Any]]) ?? []).map { $0["index"] as? Int } == [0, 1, 2, 3])
            let promptTokens = ids.count + server.session.encoder.encode("fever and cough").count
            #expect((batch["usage"] as? [String: Int])?["prompt_tokens"] == promptTokens)
            let echoed = Self.texts(try await Self.post(client, #"{"prompt":"\#(Self.note)","max_tokens":8,"echo":true}"#))
            #expect(echoed == [Self.note + byText[0]])
        }
    }

    @Test func aStreamedCompletionEqualsTheWholeOneForEveryChoice() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let fields = #""prompt":["\#(Self.note)","fever"],"max_tokens":10,"n":2,"temperature":0.8,"seed":3,"echo":true"#
            let whole = Self.texts(try await Self.post(client, "{" + fields + "}"))
            let response = try await ServeTestSupport.post(client, "/v1/completions",
                                                           "{" + fields + #","stream":true,"stream_options":{"include_usage":true}}"#)
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = ServeTestSupport.events(ServeTestSupport.text(response))
            #expect(events.last == "[DONE]")
            var pieces = [String](repeating: "", count: 4), finished = 0
            var usage: [String: Int]?
            for event in events.dropLast() {
                let object = try #require((try? JSONSerialization.jsonObject(with: Data(event.utf8))) as? [String: Any])
                #expect(object["object"] as? String == "text_completion")
                usage = object["usage"] as? [String: Int] ?? usage
                guard let choice = (object["choices"] as? [[String: Any]])?.first, let index = choice["index"] as? Int else { continue }
                pieces[index] += choice["text"] as? String ?? ""
                if choice["finish_reason"] is String { finished += 1 }
            }
            #expect(pieces == whole && finished == 4)
            #expect(usage?["completion_tokens"] == 40)
        }
    }

    @Test func legacyLogprobsListTokensTheirLogProbabilitiesTheTopAlternativesAndTextOffsets() async throws {
        let server = try fixture.server()
        let prompt = server.session.encoder.encode(Self.note)
        let model = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        let logits = model.logits([prompt]).value.scalars
        let vocabulary = server.session.encoder.tokenizer.vocabularySize
        let last = logits[(logits.count - logits.count / prompt.count)...].prefix(vocabulary).map(Double.init)
        let logTotal = last.max()! + log(last.reduce(0) { $0 + exp($1 - last.max()!) })
        let greedy = model.generateGreedy(prompt: prompt, maxNewTokens: 6)
        try await server.application().test(.router) { client in
            let object = try await Self.post(client, #"{"prompt":"\#(Self.note)","max_tokens":6,"logprobs":2}"#)
            let choice = try #require((object["choices"] as? [[String: Any]])?.first)
            let logprobs = try #require(choice["logprobs"] as? [String: Any])
            let tokens = logprobs["tokens"] as? [String] ?? []
            let values = logprobs["token_logprobs"] as? [Double] ?? []
            let top = logprobs["top_logprobs"] as? [[String: Double]] ?? []
            let offsets = logprobs["text_offset"] as? [Int] ?? []
            #expect(tokens.count == 6 && values.count == 6 && top.count == 6 && offsets.count == 6)
            // Each token is the greedy token's own text (a piece of a UTF-8 character reads as U+FFFD, as OpenAI's).
            let tokenizer = server.session.encoder.tokenizer
            #expect(tokens == greedy.map { String(decoding: tokenizer.bytes(of: $0), as: UTF8.self) })
            #expect(offsets == tokens.indices.map { i in tokens[..<i].reduce(0) { $0 + $1.unicodeScalars.count } })
            for (i, token) in tokens.enumerated() {
                #expect(top[i][token] == values[i] && top[i].count <= 3 && top[i].values.max() == values[i])
            }
            #expect(abs(values[0] - (last.max()! - logTotal)) < 1e-3)
        }
    }

    @Test(arguments: [
        (#"{"max_tokens":4}"#, 400, "prompt"),
        (#"{"prompt":5}"#, 400, "prompt"),
        (#"{"prompt":[]}"#, 400, "prompt"),
        (#"{"prompt":["a",""]}"#, 400, "prompt[1]"),
        (#"{"prompt":[1,2,99999999]}"#, 400, "prompt"),
        (#"{"prompt":"a","suffix":"b"}"#, 400, "suffix"),
        (#"{"prompt":"a","best_of":3}"#, 400, "best_of"),
        (#"{"prompt":"a","echo":true,"logprobs":1}"#, 400, "echo"),
        (#"{"prompt":"a","logprobs":21}"#, 400, "logprobs"),
        (#"{"prompt":"a","max_tokens":0}"#, 400, "max_tokens"),
        (#"{"prompt":"a","n":0}"#, 400, "n"),
        (#"{"prompt":"a","temperature":-1}"#, 400, "temperature"),
        (#"{"prompt":"a","logit_bias":{"1":200}}"#, 400, "logit_bias.1"),
        (#"{"prompt":"a","messages":[]}"#, 400, "messages"),
        (#"{"model":"gpt-3.5-turbo-instruct","prompt":"a"}"#, 404, "model"),
    ])
    func badCompletionRequestsNameTheField(body: String, status: Int, param: String) async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let response = try await ServeTestSupport.post(client, "/v1/completions", body)
            #expect(response.status.code == status)
            #expect(ServeTestSupport.error(response)["param"] as? String == param, "\(ServeTestSupport.error(response))")
        }
    }
}
