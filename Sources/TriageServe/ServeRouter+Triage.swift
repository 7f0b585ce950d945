import Foundation
import Hummingbird
import Triage
import TriageData

/// `POST /v1/triage`: prompts built and tokenized exactly as evaluate builds them, scored by the dynamic batcher,
/// decided at the served operating point.
extension ServeRouter {
    func triage(_ request: Request) async throws -> Response {
        let start = ContinuousClock.now
        let parsed = try RequestDecoding.decode(TriageRequest.self, from: try await body(of: request))
        guard parsed.items.count <= configuration.maxInputs else {
            throw APIError.invalid("inputs", "`inputs` holds \(parsed.items.count) descriptions; at most "
                                       + "\(configuration.maxInputs) per request", code: "too_many_inputs")
        }
        let detector = LanguageDetector()
        let languages = parsed.items.map { item -> (lang: RecordLanguage, detected: Bool) in
            if let lang = item.lang { return (lang, false) }
            return (detector.detect(item.text).language ?? .en, true)
        }
        let prompts = zip(parsed.items, languages).map { session.encoder.promptIds(text: $0.text, lang: $1.lang) }
        let batcher = self.batcher
        let scores = try await Deadline.run(configuration.requestTimeout) { try await batcher.score(prompts) }
        let elapsed = start.duration(to: .now)
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
        let results = zip(scores, languages).map { scores, language in
            TriageResponse(label: session.operatingPoint.label(scores: scores), scores: scores, lang: language.lang,
                           langDetected: language.detected, model: session.name,
                           immediateBias: session.operatingPoint.immediateBias, latencyMilliseconds: milliseconds)
        }
        return Self.json(parsed.isBatch ? .object([("results", .array(results.map(\.json)))]) : results[0].json)
    }
}
