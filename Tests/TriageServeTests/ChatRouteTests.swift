import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Triage
import TriageData
@testable import TriageServe

/// `/v1/chat/completions`: OpenAI's shapes, streaming, sampling, stops, limits and continuous batching.
@Suite struct ChatRouteTests {
    let fixture = ServeFixture.shared

    static func body(_ extra: String = "", content: String = "chest pain since this morning") -> String {
        #"{"model":"merged","messages":[{"role":"system","content":"You are a triage nurse."},"#
            + #"{"role":"user","content":"\#(content)"}]\#(extra)}"#
    }

    @Test func aCompletionHasOpenAIsShapeAndGreedyDecodingMatchesTheModelsOwnGreedyGeneration() async throws {
        let server = try fixture.server()
        let prompt = server.session.encoder.encode(ChatPrompt.render([
            .init(role: "system", content: "You are a triage nurse."), .init(role: "user", content: "chest pain since this morning"),
        ]))
        let model = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        let greedy = model.generateGreedy(prompt: prompt, maxNewTokens: 12)
        try await server.application().test(.router) { client in
            let response = try await ServeTestSupport.post(client, "/v1/chat/completions", Self.body(#","max_tokens":12"#))
            #expect(response.status == .ok)
            let object = ServeTestSupport.object(response)
            #expect(object["object"] as? String == "chat.completion" && object["model"] as? String == "merged")
            #expect((object["id"] as? String)?.hasPrefix("chatcmpl-") == true && object["created"] is Int)
            let choice = (object["choices"] as? [[String: Any]])?.first ?? [:]
            let message = choice["message"] as? [String: Any] ?? [:]
            #expect(choice["index"] as? Int == 0 && choice["finish_reason"] as? String == "length")
            #expect(message["role"] as? String == "assistant" && choice.keys.contains("logprobs"))
            #expect(message["content"] as? String == (try server.session.encoder.tokenizer.decode(greedy, skipSpecialTokens: true)))
            let usage = object["usage"] as? [String: Int] ?? [:]
            #expect(usage == ["prompt_tokens": prompt.count, "completion_tokens": 12, "total_tokens": prompt.count + 12])
        }
    }

    @Test(arguments: ["", #","temperature":0.9,"top_p":0.8,"seed":42"#])
    func aStreamedCompletionEqualsTheNonStreamedOne(sampling: String) async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let whole = ServeTestSupport.object(
                try await ServeTestSupport.post(client, "/v1/chat/completions", Self.body(#","max_tokens":20"# + sampling)))
            let choice = (whole["choices"] as? [[String: Any]])?.first ?? [:]
            let content = (choice["message"] as? [String: Any])?["content"] as? String
            let streamed = try await ServeTestSupport.post(
                client, "/v1/chat/completions",
                Self.body(#","max_tokens":20,"stream":true,"stream_options":{"include_usage":true}"# + sampling))
            #expect(streamed.headers[.contentType] == "text/event-stream")
            let events = ServeTestSupport.events(ServeTestSupport.text(streamed))
            #expect(events.last == "[DONE]")
            let parsed = ServeTestSupport.streamed(events)
            #expect(parsed.roleFirst)
            #expect(parsed.content == content && !parsed.content.isEmpty)
            #expect(parsed.finish == choice["finish_reason"] as? String)
            let usageChunk = events.dropLast().last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]
            #expect((usageChunk?["usage"] as? [String: Int])?["completion_tokens"] == 20)
            #expect(usageChunk?["object"] as? String == "chat.completion.chunk")
        }
    }

    @Test func aSeedReproducesASampledCompletionAndAStopStringEndsIt() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            func content(_ extra: String) async throws -> (String, String?) {
                let object = ServeTestSupport.object(try await ServeTestSupport.post(client, "/v1/chat/completions", Self.body(extra)))
                let choice = (object["choices"] as? [[String: Any]])?.first ?? [:]
                return ((choice["message"] as? [String: Any])?["content"] as? String ?? "", choice["finish_reason"] as? String)
            }
            let a = try await content(#","max_tokens":24,"temperature":1.0,"seed":7"#)
            let b = try await content(#","max_tokens":24,"temperature":1.0,"seed":7"#)
            #expect(a.0 == b.0 && !a.0.isEmpty)
            // Stop at a piece of the greedy text: the completion ends before it, with finish_reason "stop".
            let greedy = try await content(#","max_tokens":24"#).0
            let scalars = Array(greedy.unicodeScalars)
            try #require(scalars.count > 6)
            var stopView = String.UnicodeScalarView()
            stopView.append(contentsOf: scalars[4..<6])
            let stop = String(stopView)
            let stopJSON = String(decoding: try JSONEncoder().encode(stop), as: UTF8.self)
            let stopped = try await content(#","max_tokens":24,"stop":[\#(stopJSON)]"#)
            #expect(stopped.1 == "stop" && greedy.hasPrefix(stopped.0) && !stopped.0.contains(stop))
            #expect(stopped.0 == String(greedy[..<greedy.range(of: stop)!.lowerBound]))
        }
    }

    @Test(arguments: [
        (#"{"messages":[]}"#, 400, "messages"),
        (#"{"messages":[{"role":"doctor","content":"hi"}]}"#, 400, "messages[0].role"),
        (#"{"messages":[{"role":"user"}]}"#, 400, "messages[0].content"),
        (#"{"messages":[{"role":"user","content":"hi"}],"max_tokens":100000}"#, 400, "max_tokens"),
        (#"{"messages":[{"role":"user","content":"hi"}],"max_tokens":0}"#, 400, "max_tokens"),
        (#"{"messages":[{"role":"user","content":"hi"}],"temperature":3}"#, 400, "temperature"),
        (#"{"messages":[{"role":"user","content":"hi"}],"top_p":0}"#, 400, "top_p"),
        (#"{"messages":[{"role":"user","content":"hi"}],"n":0}"#, 400, "n"),
        (#"{"messages":[{"role":"user","content":"hi"}],"n":17}"#, 400, "n"),
        (#"{"messages":[{"role":"user","content":"hi"}],"presence_penalty":2.5}"#, 400, "presence_penalty"),
        (#"{"messages":[{"role":"user","content":"hi"}],"frequency_penalty":-3}"#, 400, "frequency_penalty"),
        (#"{"messages":[{"role":"user","content":"hi"}],"logit_bias":{"x":1}}"#, 400, "logit_bias.x"),
        (#"{"messages":[{"role":"user","content":"hi"}],"logit_bias":{"5":101}}"#, 400, "logit_bias.5"),
        (#"{"messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":21}"#, 400, "top_logprobs"),
        (#"{"messages":[{"role":"user","content":"hi"}],"top_k":-2}"#, 400, "top_k"),
        (#"{"messages":[{"role":"user","content":"hi"}],"min_p":1.5}"#, 400, "min_p"),
        (#"{"messages":[{"role":"user","content":"hi"}],"repetition_penalty":0}"#, 400, "repetition_penalty"),
        (#"{"messages":[{"role":"user","content":"hi"}],"min_tokens":-1}"#, 400, "min_tokens"),
        (#"{"messages":[{"role":"user","content":"hi"}],"min_tokens":100000}"#, 400, "min_tokens"),
        (#"{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f"}}]}"#, 400, "tools"),
        (#"{"messages":[{"role":"user","content":"hi"}],"tool_choice":"required"}"#, 400, "tool_choice"),
        (#"{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}"#, 400, "response_format"),
        (#"{"messages":[{"role":"user","content":"hi"}],"top_logprobs":3}"#, 400, "top_logprobs"),
        (#"{"messages":[{"role":"user","content":"hi"}],"reasoning":1}"#, 400, "reasoning"),
        (#"{"messages":[{"role":"tool","content":"42"}]}"#, 400, "messages[0].role"),
        (#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}"#, 400, "messages[0].content[0].type"),
        (#"{"messages":[{"role":"user","content":[{"type":"text","txt":"hi"}]}]}"#, 400, "messages[0].content[0].txt"),
        (#"{"messages":[{"role":"user","content":[]}]}"#, 400, "messages[0].content"),
        (#"{"messages":[{"role":"user","content":7}]}"#, 400, "messages[0].content"),
        (#"{"messages":[{"role":"user","content":"hi"}],"stream_options":{"x":1}}"#, 400, "stream_options.x"),
        (#"{"model":"gpt-4","messages":[{"role":"user","content":"hi"}]}"#, 404, "model"),
    ])
    func badChatRequestsNameTheField(body: String, status: Int, param: String) async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let response = try await ServeTestSupport.post(client, "/v1/chat/completions", body)
            #expect(response.status.code == status)
            #expect(ServeTestSupport.error(response)["param"] as? String == param, "\(ServeTestSupport.error(response))")
        }
    }

    @Test func whatOpenAIClientsSendByDefaultIsAcceptedAndTextPartsReadAsTheirJoinedText() async throws {
        // SDKs and frameworks send text parts, `developer` turns and the "off" values of fields this server has
        // nothing behind; each must give the same completion as the plain request.
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            func content(_ body: String) async throws -> String? {
                let response = try await ServeTestSupport.post(client, "/v1/chat/completions", body)
                #expect(response.status == .ok, "\(ServeTestSupport.text(response))")
                let choices = ServeTestSupport.object(response)["choices"] as? [[String: Any]]
                return (choices?.first?["message"] as? [String: Any])?["content"] as? String
            }
            let plain = try await content(#"{"messages":[{"role":"system","content":"Triage."},{"role":"user","content":"chest pain\nsweaty"}],"max_tokens":8}"#)
            let parts = try await content(#"{"messages":[{"role":"developer","content":[{"type":"text","text":"Triage."}]},{"role":"user","content":[{"type":"text","text":"chest pain"},{"type":"text","text":"sweaty"}]}],"max_tokens":8,"#
                + #""tools":[],"tool_choice":"none","logit_bias":{},"response_format":{"type":"text"},"store":false,"metadata":{"k":"v"},"#
                + #""top_logprobs":null,"modalities":["text"],"parallel_tool_calls":true,"service_tier":"auto","user":"u1","n":1}"#)
            #expect(plain != nil && parts == plain)
        }
    }

    @Test func unknownRoutesAnswerOpenAIsErrorShape() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            for (uri, method) in [("/v2/nothing", HTTPRequest.Method.get), ("/v1/chat/completions", .get)] {
                let response = try await client.execute(uri: uri, method: method)
                let error = ServeTestSupport.error(response)
                #expect(response.status == .notFound)
                #expect(error["code"] as? String == "not_found" && error["type"] as? String == "invalid_request_error")
                #expect((error["message"] as? String)?.contains(uri) == true, "\(error)")
            }
        }
    }

    @Test func concurrentCompletionsShareDecodeStepsAndReleaseTheirCaches() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let contents = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let object = ServeTestSupport.object(
                            try await ServeTestSupport.post(client, "/v1/chat/completions", Self.body(#","max_tokens":200"#)))
                        let choice = (object["choices"] as? [[String: Any]])?.first ?? [:]
                        return (choice["message"] as? [String: Any])?["content"] as? String ?? ""
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Greedy: every copy of the same request decodes the same text, whichever steps it shared.
            #expect(Set(contents).count == 1 && !contents[0].isEmpty)
        }
        #expect(await server.scheduler.widestStep > 1)
        #expect(await server.session.liveSequenceCount() == 0)
    }

    @Test func theTriagePromptAsChatMessagesRendersExactlyAsTriagePrompt() {
        for lang in RecordLanguage.allCases {
            let rendered = ChatPrompt.render([.init(role: "system", content: TriagePrompt.instruction(lang)),
                                              .init(role: "user", content: "note")])
            #expect(rendered == TriagePrompt.prompt(text: "note", lang: lang))
        }
    }
}
