import Foundation
import Logging
import Testing
@testable import TriageServe

/// Start-up refuses a model that does not fit together, with a code and one line naming the file.
@Suite struct StartupValidationTests {
    let fixture = ServeFixture.shared

    func load(_ directory: URL, _ change: (inout ServeConfiguration) -> Void = { _ in }) -> StartupError? {
        var configuration = fixture.configuration { $0.source = .merged(directory: directory.path) }
        change(&configuration)
        do { _ = try ModelSession.load(configuration, logger: ServeFixture.logger) } catch { return error }
        return nil
    }

    @Test func aMissingModelDirectoryOrWeightsFileIsNamed() throws {
        let error = load(URL(fileURLWithPath: "/nonexistent/merged"))
        #expect(error?.code == "serve.missing-file" && error?.message.contains("/nonexistent/merged/config.json") == true)
        let copy = try fixture.copyOfModel()
        try FileManager.default.removeItem(at: copy.appendingPathComponent("model.safetensors"))
        #expect(load(copy)?.code == "serve.missing-file")
    }

    @Test func truncatedSafetensorsAreCorruptWeights() throws {
        let copy = try fixture.copyOfModel()
        let weights = copy.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: weights)
        try data.prefix(data.count / 2).write(to: weights)
        let error = load(copy)
        #expect(error?.code == "serve.corrupt-weights", "\(String(describing: error))")
        #expect(error?.message.contains("model.safetensors") == true && error?.message.contains("\n") == false)
    }

    @Test func aConfigThatDoesNotMatchTheWeightsIsAMismatch() throws {
        let copy = try fixture.copyOfModel()
        let config = copy.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        try text.replacingOccurrences(of: #""intermediate_size" : 48"#, with: #""intermediate_size" : 64"#)
            .write(to: config, atomically: true, encoding: .utf8)
        #expect(load(copy)?.code == "serve.config-mismatch")
    }

    @Test func aTokenizerWithMoreTokensThanTheModelOrWithoutTheChatMarkersIsWrong() throws {
        let copy = try fixture.copyOfModel()
        let config = copy.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        // A smaller vocabulary in config.json than the tokenizer has: fails as a wrong tokenizer before any weight is read.
        try text.replacingOccurrences(of: #""vocab_size" : 420"#, with: #""vocab_size" : 300"#)
            .write(to: config, atomically: true, encoding: .utf8)
        #expect(load(copy)?.code == "serve.wrong-tokenizer")
        let other = try fixture.copyOfModel()
        let tokenizer = other.appendingPathComponent("tokenizer.json")
        let json = try String(contentsOf: tokenizer, encoding: .utf8)
        try json.replacingOccurrences(of: "<|im_start|>", with: "<|xx_start|>").write(to: tokenizer, atomically: true, encoding: .utf8)
        #expect(load(other)?.code == "serve.wrong-tokenizer")
    }

    @Test func theOperatingPointComesFromTheReportUnlessOverridden() throws {
        let model = URL(fileURLWithPath: fixture.directory)
        #expect(load(model, { $0.evaluationKey = "dpo" })?.code == "serve.invalid-report")
        #expect(load(model, { $0.evaluationReport = "/nonexistent/evaluate.json" })?.code == "serve.missing-file")
        let session = try ModelSession.load(fixture.configuration { $0.immediateBias = 3 }, logger: ServeFixture.logger)
        #expect(session.operatingPoint.immediateBias == 3)
        let fromReport = try ModelSession.load(fixture.configuration(), logger: ServeFixture.logger)
        #expect(fromReport.operatingPoint.immediateBias == fixture.bias)
    }
}
