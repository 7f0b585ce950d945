import Foundation
import Testing
@testable import StageKit

/// A params struct shaped like a real stage's: defaults for every field, strict keys.
struct SampleParams: StageParameters, Equatable {
    static let section = "clean"
    var minChars = 20
    var language = "en"
    var ratios: [Double] = [0.8, 0.2]

    init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case minChars = "min_chars", language, ratios
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SampleParams()
        minChars = try c.value(forKey: .minChars, default: d.minChars)
        language = try c.value(forKey: .language, default: d.language)
        ratios = try c.value(forKey: .ratios, default: d.ratios)
        guard minChars >= 0 else { throw invalidParam(decoder, "min_chars", "must be ≥ 0, got \(minChars)") }
    }
}

@Test func aStageRunByHandWithoutParamsGetsItsDefaults() throws {
    let p = try StageParamsDecoder.decode(SampleParams.self, fromJSON: "{}")
    #expect(p == SampleParams())
}

@Test func declaredParamsOverrideDefaultsAndMissingOnesKeepThem() throws {
    let p = try StageParamsDecoder.decode(SampleParams.self, fromJSON: #"{"clean": {"min_chars": 5}}"#)
    #expect(p.minChars == 5)
    #expect(p.language == "en")
    #expect(p.ratios == [0.8, 0.2])
}

@Test func anUnknownKeyIsABadParamsErrorWithADidYouMean() {
    do {
        _ = try StageParamsDecoder.decode(SampleParams.self, fromJSON: #"{"clean": {"min_char": 5}}"#)
        Issue.record("expected an error")
    } catch let error as StageError {
        #expect(error.code == .badParams)
        #expect(error.exitCode == 2)
        #expect(error.message.contains("clean.min_char"))
        #expect(error.fix?.contains("did you mean 'min_chars'") == true)
    } catch { Issue.record("unexpected \(error)") }
}

@Test func aWrongTypeNamesTheDottedKeyPath() {
    do {
        _ = try StageParamsDecoder.decode(SampleParams.self, fromJSON: #"{"clean": {"ratios": [0.5, "x"]}}"#)
        Issue.record("expected an error")
    } catch let error as StageError {
        #expect(error.code == .badParams)
        #expect(error.message.contains("clean.ratios[1]"))
    } catch { Issue.record("unexpected \(error)") }
}

@Test func anOutOfRangeValueIsRejectedWithItsKey() {
    do {
        _ = try StageParamsDecoder.decode(SampleParams.self, fromJSON: #"{"clean": {"min_chars": -1}}"#)
        Issue.record("expected an error")
    } catch let error as StageError {
        #expect(error.message.contains("clean.min_chars"))
        #expect(error.message.contains("≥ 0"))
    } catch { Issue.record("unexpected \(error)") }
}

@Test func paramsThatAreNotJSONAreAUsageLevelFailure() {
    #expect(throws: StageError.self) { try StageParamsDecoder.decode(SampleParams.self, fromJSON: "{clean") }
    #expect(throws: StageError.self) { try StageParamsDecoder.decode(SampleParams.self, fromJSON: "[1]") }
}

@Test func theContextReadsTheEngineEnvironmentAndResolvesPathsAgainstTheRoot() throws {
    let env = ["PIPE_STAGE": "clean", "PIPE_REPO_ROOT": "/tmp/repo", "PIPE_PARAMS": #"{"clean":{"language":"fr"}}"#]
    let context = StageContext.current(defaultName: "x", environment: env, arguments: ["--flag"])
    #expect(context.stageName == "clean")
    #expect(context.resolve("data/raw").path == "/tmp/repo/data/raw")
    #expect(context.resolve("/abs/p").path == "/abs/p")
    #expect(context.arguments == ["--flag"])
    #expect(try context.params(SampleParams.self).language == "fr")
}
