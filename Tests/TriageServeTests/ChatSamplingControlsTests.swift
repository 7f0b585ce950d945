import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Triage
import TriageData
@testable import TriageServe

/// `/v1/chat/completions` beyond plain sampling: `logprobs` / `top_logprobs`, `logit_bias`, the presence and
/// frequency penalties, and `n` choices, each against what OpenAI's API reference defines.
@Suite struct ChatSamplingControlsTests {
    let fixture = ServeFixture.shared

    static func completion(_ client: some TestClientProtocol, _ extra: String) async throws -> [String: Any] {
        let response = try await ServeTestSupport.post(client, "/v1/chat/completions", ChatRouteTests.body(extra))
        #expect(response.status == .ok, "\(ServeTestSupport.text(response))")
        return ServeTestSupport.object(response)
    }

    static func choices(_ object: [String: Any]) -> [[String: Any]] { object["choices"] as? [[String: Any]] ?? [] }
    static func content(_ choice: [String: Any]) -> String { (choice["message"] as? [String: Any])?["content"] as? String ?? "" }
    static func entries(_ choice: [String: Any]) -> [[String: Any]] {
        (choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]] ?? []
    }

    @Test func logprobsListEveryGeneratedTokenWithTheModelsOwnLogSoftmaxAndItsTopAlternatives() async throws {
        let server = try fixture.server()
        let prompt = server.session.encoder.encode(ChatPrompt.render([
            .init(role: "system", content: "You are a triage nurse."), .init(role: "user", content: "chest pain since this morning"),
        ]))
        let model = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        let logits = model.logits([prompt]).value.scalars
        let vocabulary = server.session.encoder.tokenizer.vocabularySize
        let width = logits.count / prompt.count
        let last = logits[(logits.count - width)...].prefix(vocabulary).map(Double.init)
        let maximum = last.max()!
        let logTotal = maximum + log(last.reduce(0) { $0 + exp($1 - maximum) })
        try await server.application().test(.router) { client in
            let object = try await Self.completion(client, #","max_tokens":10,"logprobs":true,"top_logprobs":3"#)
            let choice = try #require(Self.choices(object).first)
            let logprobs = try #require(choice["logprobs"] as? [String: Any])
            #expect(logprobs.keys.sorted() == ["content", "refusal"] && logprobs["refusal"] is NSNull)
            let entries = Self.entries(choice)
            #expect(entries.count == 10 && choice["finish_reason"] as? String == "length")
            // The tokens' bytes spell the content; greedy picks the most likely token, so it heads its own list.
            let bytes = entries.flatMap { $0["bytes"] as? [Int] ?? [] }.map(UInt8.init)
            #expect(String(decoding: bytes, as: UTF8.self) == Self.content(choice))
            for entry in entries {
                let top = entry["top_logprobs"] as? [[String: Any]] ?? []
                let values = top.compactMap { $0["logprob"] as? Double }
                #expect(top.count == 3 && values == values.sorted(by: >) && values.allSatisfy { $0 <= 0 })
                #expect(top.first?["token"] as? String == entry["token"] as? String)
                #expect(values.first == entry["logprob"] as? Double)
                #expect(Set(top.first?.keys.map { $0 } ?? []) == ["token", "logprob", "bytes"])
            }
            // The first token's log-probability is the log-softmax of the model's logits after the prompt.
            let first = try #require(entries.first?["logprob"] as? Double)
            let token = try #require(entries.first?["bytes"] as? [Int])
            let id = try #require((0..<vocabulary).first { server.session.encoder.tokenizer.bytes(of: $0).map(Int.init) == token })
            #expect(abs(first - (last[id] - logTotal)) < 1e-3)
            #expect(abs(first - (last.max()! - logTotal)) < 1e-3)

            // Without `logprobs` the field is null; streamed entries are the same as the whole answer's.
            #expect(Self.choices(try await Self.completion(client, #","max_tokens":10"#)).first?["logprobs"] is NSNull)
            let streamed = try await ServeTestSupport.post(client, "/v1/chat/completions",
                                                           ChatRouteTests.body(#","max_tokens":10,"logprobs":true,"top_logprobs":3,"stream":true"#))
            let chunks = ServeTestSupport.events(ServeTestSupport.text(streamed)).dropLast().compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            let streamedEntries = chunks.flatMap { Self.entries(Self.choices($0).first ?? [:]) }
            #expect(NSArray(array: streamedEntries).isEqual(to: entries))
        }
    }

    @Test func logitBiasBansOrForcesATokenAndItsIdsAreChecked() async throws {
        let server = try fixture.server()
        let tokenizer = server.session.encoder.tokenizer
        let forced = try #require(tokenizer.id(of: "a"))
        try await server.application().test(.router) { client in
            let greedy = try await Self.completion(client, #","max_tokens":6,"logprobs":true"#)
            let firstBytes = try #require(Self.entries(Self.choices(greedy)[0]).first?["bytes"] as? [Int])
            let first = try #require((0..<tokenizer.vocabularySize).first { tokenizer.bytes(of: $0).map(Int.init) == firstBytes })
            let banned = try await Self.completion(client, #","max_tokens":6,"logprobs":true,"logit_bias":{"\#(first)":-100}"#)
            let bannedFirst = Self.entries(Self.choices(banned)[0]).first?["bytes"] as? [Int]
            #expect(bannedFirst != nil && bannedFirst != firstBytes)
            let forcedAnswer = try await Self.completion(client, #","max_tokens":6,"logit_bias":{"\#(forced)":100}"#)
            #expect(Self.content(Self.choices(forcedAnswer)[0]) == String(repeating: "a", count: 6))
            let outside = try await ServeTestSupport.post(client, "/v1/chat/completions",
                                                          ChatRouteTests.body(#","logit_bias":{"\#(tokenizer.vocabularySize)":1}"#))
            #expect(outside.status == .badRequest)
            #expect(ServeTestSupport.error(outside)["param"] as? String == "logit_bias.\(tokenizer.vocabularySize)")
        }
    }

    @Test func nChoicesAreTheSeededSingleCompletionsWithSeedPlusTheirIndex() async throws {
        let server = try fixture.server()
        try await server.application().test(.router) { client in
            let sampling = #","max_tokens":12,"temperature":1.0,"seed":5"#
            let three = try await Self.completion(client, sampling + #","n":3"#)
            let choices = Self.choices(three)
            #expect(choices.map { $0["index"] as? Int } == [0, 1, 2])
            var total = 0
            for (index, choice) in choices.enumerated() {
                let alone = try await Self.completion(client, #","max_tokens":12,"temperature":1.0,"seed":\#(5 + index)"#)
                #expect(Self.content(choice) == Self.content(Self.choices(alone)[0]))
                total += (alone["usage"] as? [String: Int])?["completion_tokens"] ?? 0
            }
            #expect(Set(choices.map(Self.content)).count > 1)
            let usage = three["usage"] as? [String: Int] ?? [:]
            #expect(usage["completion_tokens"] == total && usage["total_tokens"] == total + (usage["prompt_tokens"] ?? 0))
            // Streamed, each index's pieces join into its choice; each index gets its role and finish chunk.
            let streamed = try await ServeTestSupport.post(client, "/v1/chat/completions",
                                                           ChatRouteTests.body(sampling + #","n":3,"stream":true"#))
            var pieces = [String](repeating: "", count: 3), roles = [Int](), finishes = [Int]()
            for event in ServeTestSupport.events(ServeTestSupport.text(streamed)).dropLast() {
                let object = (try? JSONSerialization.jsonObject(with: Data(event.utf8))) as? [String: Any] ?? [:]
                let choice = try #require(Self.choices(object).first)
                let index = try #require(choice["index"] as? Int)
                let delta = choice["delta"] as? [String: Any] ?? [:]
                if delta["role"] != nil { roles.append(index) }
                if choice["finish_reason"] is String { finishes.append(index) }
                pieces[index] += delta["content"] as? String ?? ""
            }
            #expect(pieces == choices.map(Self.content))
            #expect(roles == [0, 1, 2] && finishes.sorted() == [0, 1, 2])
        }
    }

    static func sampler(_ configure: (inout SamplingOptions) -> Void, prompt: [Int] = [], endTokens: Set<Int> = []) -> TokenSampler {
        var options = SamplingOptions()
        configure(&options)
        return TokenSampler(options, prompt: prompt, endTokens: endTokens, vocabularyLimit: 3)
    }

    @Test func thePenaltiesLowerATokenPerUseAndOnceForBeingUsedAsOpenAIDefinesThem() {
        // Greedy over three tokens: logits 0, 1, 0.5. Frequency 0.8: 1 (then 0.2), 2 (then −0.3), 1 (then −0.6),
        // 0. Presence 0.6 alone: 1 (then 0.4), 2 (then −0.1), 1 (0.4 stays: presence counts once), 1.
        var frequency = Self.sampler { $0.frequencyPenalty = 0.8 }
        #expect((0..<4).map { _ in frequency.next([0, 1, 0.5]) } == [1, 2, 1, 0])
        var presence = Self.sampler { $0.presencePenalty = 0.6 }
        #expect((0..<4).map { _ in presence.next([0, 1, 0.5]) } == [1, 2, 1, 1])
        var biased = Self.sampler { $0.logitBias = [0: 2] }
        #expect(biased.next([0, 1, 0.5]) == 0)
    }

    @Test func vLLMsRepetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfPromptAndCompletionTokens() {
        // Logits 2, 1.5, −1 with tokens 0 and 2 in the prompt, penalty 2: 1, 1.5, −2 → token 1; then 1 is seen too:
        // 1, 0.75, −2 → token 0.
        var sampler = Self.sampler({ $0.repetitionPenalty = 2 }, prompt: [0, 2])
        #expect((0..<2).map { _ in sampler.next([2, 1.5, -1]) } == [1, 0])
    }

    @Test func minTokensBarsTheEndTokensUntilEnoughWereGenerated() {
        var sampler = Self.sampler({ $0.minTokens = 2 }, endTokens: [0])
        #expect((0..<3).map { _ in sampler.next([5, 1, 0]) } == [1, 1, 0])
    }

    @Test func topKOneAndMinPOneSampleTheMostLikelyTokenWhateverTheSeed() {
        for seed in 0..<20 as Range<UInt64> {
            var topK = Self.sampler { $0.temperature = 1.5; $0.topK = 1; $0.seed = seed }
            var minP = Self.sampler { $0.temperature = 1.5; $0.minP = 1; $0.seed = seed }
            #expect(topK.next([0.2, 0.3, 0.1]) == 1 && minP.next([0.2, 0.3, 0.1]) == 1)
        }
        // Without them, some seed samples another token.
        let picks = (0..<20 as Range<UInt64>).map { seed in
            var plain = Self.sampler { $0.temperature = 1.5; $0.seed = seed }
            return plain.next([0.2, 0.3, 0.1])
        }
        #expect(Set(picks).count > 1)
    }

    @Test func minTokensAndIgnoreEOSHoldOffTheEndOfTurnAsVLLMDoes() async throws {
        let server = try fixture.server()
        let end = try #require(server.session.encoder.tokenizer.id(of: "<|im_end|>"))
        try await server.application().test(.router) { client in
            func usage(_ extra: String) async throws -> (Int?, String?) {
                let object = try await Self.completion(client, #","max_tokens":12,"logit_bias":{"\#(end)":100}"# + extra)
                return ((object["usage"] as? [String: Int])?["completion_tokens"], Self.choices(object).first?["finish_reason"] as? String)
            }
            let plain = try await usage("")
            let held = try await usage(#","min_tokens":5"#)
            let ignored = try await usage(#","ignore_eos":true"#)
            #expect(plain == (1, "stop") && held == (6, "stop") && ignored == (12, "length"))
        }
    }
}
