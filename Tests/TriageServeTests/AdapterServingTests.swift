import Foundation
import HummingbirdTesting
import Tensors
import Testing
import Triage
import TriageData
@testable import TriageServe

/// Serving the NF4 base with a PEFT adapter (`--base` + `--adapter`), scored as evaluate scores the sft/dpo models.
@Suite struct AdapterServingTests {
    let fixture = ServeFixture.shared

    /// A PEFT adapter over the fixture's model with non-zero B factors, so it changes the scores.
    func adapter() throws -> URL {
        let model = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        try model.applyLoRA(LoRAConfig(rank: 4, alpha: 8), seed: 3)
        var generator = SeededGenerator(seed: 9)
        for (name, parameter) in model.namedParameters() where name.contains("lora_B") {
            parameter.value = .normal(parameter.shape, std: 0.2, using: &generator)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("triage-serve-adapter-\(UUID().uuidString)")
        try model.saveAdapter(directory: directory.path, config: LoRAConfig(rank: 4, alpha: 8), baseModelNameOrPath: "base")
        return directory
    }

    @Test func anAdaptedModelScoresAsEvaluateScoresTheNF4BaseWithTheAdapter() async throws {
        let adapter = try adapter()
        let inputs = try TrainingInputs(baseDirectory: URL(fileURLWithPath: fixture.directory), maxLength: 256)
        let evaluated = try inputs.loadAdaptedModel(adapter: adapter, trainable: false).model
        let classifier = TriageClassifier(model: evaluated, encoder: inputs.encoder)
        let records = Array(fixture.records.prefix(6))
        let expected = records.map { classifier.scores(promptIds: inputs.encoder.promptIds($0)) }
        let plain = try Qwen3Model.load(directory: fixture.directory, projections: .dense(trainable: false))
        let unadapted = TriageClassifier(model: plain, encoder: inputs.encoder).scores(promptIds: inputs.encoder.promptIds(records[0]))
        #expect(zip(unadapted, expected[0]).contains { abs($0 - $1) > 1e-3 }, "the adapter should change the scores")
        let server = try fixture.server {
            $0.source = .adapted(base: fixture.directory, adapter: adapter.path)
            $0.evaluationReport = nil
        }
        #expect(server.session.name == adapter.lastPathComponent)
        try await server.application().test(.router) { client in
            let body = records.map { #"{"text":\#(TriageRouteTests.quoted($0.text)),"lang":"\#($0.lang.rawValue)"}"# }
            let response = try await ServeTestSupport.post(client, "/v1/triage", #"{"inputs":[\#(body.joined(separator: ","))]}"#)
            let results = ServeTestSupport.object(response)["results"] as? [[String: Any]] ?? []
            #expect(results.count == records.count)
            for (result, want) in zip(results, expected) {
                let scores = result["scores"] as? [String: Double] ?? [:]
                for (label, value) in zip(TriageLabel.allCases, want) {
                    #expect(abs((scores[label.rawValue] ?? .nan) - value) < 1e-4)
                }
            }
        }
    }

    @Test func aMissingAdapterIsNamedAtStartUp() throws {
        let configuration = fixture.configuration {
            $0.source = .adapted(base: fixture.directory, adapter: "/nonexistent/dpo_adapter")
        }
        #expect(throws: StartupError.self) { try ModelSession.load(configuration, logger: ServeFixture.logger) }
        do { _ = try ModelSession.load(configuration, logger: ServeFixture.logger) } catch {
            #expect(error.code == "serve.missing-file" && error.message.contains("adapter_config.json"))
        }
    }
}
