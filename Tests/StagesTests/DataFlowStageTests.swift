import Foundation
import Testing

/// Runs download → normalize → clean → anonymize on a small synthetic corpus in `repo`.
private func runDataFlow(_ repo: DataStageRepo, n: Int = 1_500, seed: Int = 5) throws -> [String: DataStageRepo.Run] {
    var runs: [String: DataStageRepo.Run] = [:]
    runs["download"] = try repo.run("download", params: #"{"download":{"sources":[{"name":"synthetic","synthetic":{"n":\#(n),"seed":\#(seed)}}]}}"#)
    runs["normalize"] = try repo.run("normalize", params: nil)
    runs["clean"] = try repo.run("clean", params: #"{"clean":{}}"#)
    runs["anonymize"] = try repo.run("anonymize", params: nil)
    return runs
}

@Test func theDataFlowRunsFromNothingAndReportsEveryStage() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let runs = try runDataFlow(repo)
    for (stage, run) in runs { #expect(run.status == 0, "\(stage): \(run.stderr)") }
    #expect(runs["clean"]!.stderr.contains("pipe:progress {\"done\":"))

    let normalize = try repo.json("reports/normalize.json")
    let records = try #require(normalize["records"] as? Int)
    let quarantined = try #require(normalize["quarantined"] as? Int)
    let sources = try #require(normalize["sources"] as? [String: [String: Int]])
    let read = sources.values.map { $0["read"]! }.reduce(0, +)
    #expect(read == 1_500)
    #expect(records + quarantined == read, "every row is either a record or quarantined")
    #expect(quarantined > 0)
    let quarantine = try #require(repo.read("data/normalized/quarantine.jsonl"))
    #expect(quarantine.split(separator: "\n").count == quarantined)

    let clean = try repo.json("reports/clean.json")
    #expect(clean["input"] as? Int == records)
    let reasons = try #require(clean["drop_reasons"] as? [String: Int])
    #expect(reasons["exact_duplicate"]! > 0 && reasons["near_duplicate"]! > 0 && reasons["label_conflict"]! > 0)
    let pairs = try #require(clean["duplicate_pairs"] as? [String: Int])
    #expect(pairs["both_kept_missed"] == 0)

    let anonymize = try repo.json("reports/anonymize.json")
    let truth = try #require(anonymize["ground_truth"] as? [String: Any])
    #expect(try #require(truth["recall"] as? Double) >= 0.99)
    #expect(try #require(truth["precision"] as? Double) >= 0.97)
    #expect(truth["clinical_words_replaced"] as? Int == 0)
    let anonymized = try #require(repo.read("data/anonymized/records.jsonl"))
    #expect(anonymized.contains("[PHONE]") && anonymized.contains("[NAME]") && anonymized.contains("[NIR]"))
}

@Test func theDataFlowIsByteIdenticalAcrossRuns() throws {
    let a = try DataStageRepo(), b = try DataStageRepo()
    defer { a.remove(); b.remove() }
    _ = try runDataFlow(a, n: 600, seed: 9)
    _ = try runDataFlow(b, n: 600, seed: 9)
    for path in ["data/normalized/records.jsonl", "data/normalized/quarantine.jsonl", "data/clean/records.jsonl",
                 "data/clean/dropped.jsonl", "data/anonymized/records.jsonl", "reports/normalize.json",
                 "reports/clean.json", "reports/anonymize.json"] {
        #expect(a.data(path) != nil && a.data(path) == b.data(path), "\(path) differs")
    }
}

@Test func normalizeQuarantinesMalformedRowsWithReasonsAndLocations() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    try repo.write("in/a.jsonl", """
    {"key":"1","body":"Chest pain radiating to the left arm with sweating for an hour.","level":"immediate","language":"en"}
    {"key":"2","body":"broken
    {"key":"3","body":"Douleur abdominale depuis deux jours avec des vomissements.","level":"urgent-ish","language":"fr"}
    {"key":"1","body":"Duplicate id with a valid label and text in English.","level":"delayed","language":"en"}
    {"key":"4","body":"Mal de gorge depuis trois jours.","level":"P3","language":"de"}
    {"body":"No id here at all but the rest is fine.","level":"medium","language":"en"}
    """)
    try repo.write("in/b.csv", "id,text,urgency\r\n10,\"Sore throat, \"\"mild\"\", for a week with a dry cough.\",P3\r\n11,only two\r\n")
    let params = #"""
    {"normalize":{"sources":[
      {"name":"a","path":"in/a.jsonl","format":"jsonl","fields":{"id":"key","text":"body","label":"level","lang":"language"},"labels":{"P3":"delayed"}},
      {"name":"b","path":"in/b.csv","format":"csv","fields":{"id":"id","text":"text","label":"urgency"},"labels":{"p3":"delayed"}}]}}
    """#
    let run = try repo.run("normalize", params: params)
    #expect(run.status == 0, "\(run.stderr)")
    let records = try #require(repo.read("data/normalized/records.jsonl")).split(separator: "\n")
    #expect(records.count == 2)
    #expect(records[1].contains(#""text":"Sore throat, \"mild\", for a week with a dry cough.""#))
    #expect(records[1].contains(#""lang":"en""#), "language detected when the mapping has none")
    let quarantine = try #require(repo.read("data/normalized/quarantine.jsonl"))
    for expected in [#""location":"in/a.jsonl:2","reason":"syntax_error""#, #""location":"in/a.jsonl:3","reason":"unknown_label""#,
                     #""location":"in/a.jsonl:4","reason":"duplicate_id""#, #""location":"in/a.jsonl:5","reason":"unknown_language""#,
                     #""location":"in/a.jsonl:6","reason":"missing_field""#, #""location":"in/b.csv:3","reason":"wrong_column_count""#] {
        #expect(quarantine.contains(expected), "missing \(expected)")
    }
    let report = try repo.json("reports/normalize.json")
    #expect(report["quarantined"] as? Int == 6)
}

@Test func normalizeRejectsABadMappingAndAMissingFile() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let badField = try repo.run("normalize", params: #"{"normalize":{"sources":[{"name":"a","path":"x.jsonl","format":"jsonl","fields":{"id":"k","txt":"b","label":"l"}}]}}"#)
    #expect(badField.status == 2)
    #expect(badField.stderr.contains("did you mean 'text'"))
    let badFormat = try repo.run("normalize", params: #"{"normalize":{"sources":[{"name":"a","path":"x","format":"parquet","fields":{"id":"k","text":"b","label":"l"}}]}}"#)
    #expect(badFormat.status == 2)
    #expect(badFormat.stderr.contains("use jsonl, csv or xml"))
    let missing = try repo.run("normalize", params: #"{"normalize":{"sources":[{"name":"a","path":"nope.jsonl","format":"jsonl","fields":{"id":"k","text":"b","label":"l"}}]}}"#)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("nope.jsonl"))
    #expect(!repo.exists("data/normalized"))
}

@Test func cleanAndAnonymizeFailClearlyOnMissingOrCorruptInput() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let missing = try repo.run("clean", params: nil)
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("data/normalized/records.jsonl"))
    try repo.write("data/clean/records.jsonl", "{\"id\":\"1\",\"source\":\"s\",\"lang\":\"xx\",\"text\":\"t\",\"label\":\"medium\"}\n")
    let corrupt = try repo.run("anonymize", params: nil)
    #expect(corrupt.status == 1)
    #expect(corrupt.stderr.contains("records.jsonl:1"))
    let badParam = try repo.run("clean", params: #"{"clean":{"min_chars":50,"max_chars":10}}"#)
    #expect(badParam.status == 2)
    #expect(badParam.stderr.contains("clean.max_chars"))
}
