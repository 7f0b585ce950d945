import Foundation
import Testing
import TriageData

/// The training half on a tiny corpus and a tiny model: every stage runs as the engine runs it.
private let tiny = [
    #""pretrain":{"hidden_size":32,"intermediate_size":48,"layers":1,"heads":2,"kv_heads":1,"seq_len":64,"steps":6,"batch_size":2}"#,
    #""sft":{"steps":4,"batch_size":2,"gradient_accumulation":2,"eval_interval":2,"val_rows":8,"r":4,"lr":0.001}"#,
    #""dpo":{"steps":3,"batch_size":2,"gradient_accumulation":1,"max_pairs":16,"lr":0.001}"#,
    #""merge":{"sample_count":2}"#,
    #""evaluate":{"limit":12,"preference_pairs":6}"#,
]

private func params(_ stage: Int) -> String { "{" + tiny[stage] + "}" }

/// download → split at a small size, then the five training stages; returns the failures' stderr.
private func runAll(_ repo: DataStageRepo) throws -> [String] {
    var failures: [String] = []
    func step(_ name: String, _ p: String?) throws {
        let run = try repo.run(name, params: p)
        if run.status != 0 { failures.append("\(name): \(run.stderr)") }
    }
    try step("download", #"{"download":{"sources":[{"name":"synthetic","synthetic":{"n":400,"seed":3}}]}}"#)
    try step("normalize", nil)
    try step("clean", #"{"clean":{}}"#)
    try step("anonymize", #"{"anonymize":{"min_recall":0,"min_precision":0}}"#)
    try step("tokenize", #"{"tokenize":{"vocab_size":400}}"#)
    try step("split", #"{"split":{"sft_rows":60,"dpo_rows":60}}"#)
    try repo.write("data/handwritten/notes.jsonl", String(decoding: try Data(contentsOf: HandwrittenNotesTests.url), as: UTF8.self))
    for (index, name) in ["pretrain", "sft", "dpo", "merge", "evaluate"].enumerated() {
        try step(name, params(index))
    }
    return failures
}

@Test func theTrainingStagesRunEndToEndAndWriteTheirContractOutputs() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let failures = try runAll(repo)
    #expect(failures.isEmpty, "\(failures)")
    for path in ["models/base/config.json", "models/base/model.safetensors", "models/base/tokenizer.json",
                 "models/base/tokenizer_config.json", "models/base/generation_config.json",
                 "models/merged/tokenizer_config.json", "models/merged/generation_config.json",
                 "models/sft_adapter/adapter_config.json", "models/sft_adapter/adapter_model.safetensors",
                 "models/dpo_adapter/adapter_model.safetensors", "models/merged/model.safetensors",
                 "reports/plots/loss_curves.svg", "reports/plots/confusion_dpo.svg"] {
        #expect(repo.exists(path), "\(path) missing")
    }
    let dpo = repo.read("reports/dpo.json") ?? ""
    for key in ["rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "mined"] {
        #expect(dpo.contains("\"\(key)\""))
    }
    // The default mines the SFT model's mistakes on the train split (`mine.records: 0`, at the end: dpo.jsonl alone).
    let mined = try #require(try repo.json("reports/dpo.json")["mined"] as? [String: Any])
    #expect((mined["records"] as? Int ?? 0) > 0 && (mined["pairs"] as? Int ?? 0) > 0)
    let evaluation = repo.read("reports/evaluate.json") ?? ""
    for key in ["\"base\"", "\"sft\"", "\"dpo\"", "\"merged\"", "macro_f1", "under_triage_rate", "preference_accuracy",
                "\"operating_point\"", "immediate_bias", "\"argmax\""] {
        #expect(evaluation.contains(key))
    }
    let adapterConfig = try JSONSerialization.jsonObject(with: repo.data("models/sft_adapter/adapter_config.json") ?? Data()) as? [String: Any]
    #expect(adapterConfig?["r"] as? Int == 4 && adapterConfig?["peft_type"] as? String == "LORA")
    #expect(repo.read("reports/sft_val_loss.csv")?.hasPrefix("step,val_loss\n2,") == true)

    // Same inputs and seeds → byte-identical outputs.
    let adapter = repo.data("models/sft_adapter/adapter_model.safetensors")
    let metrics = repo.read("reports/evaluate.json")
    #expect(try repo.run("sft", params: params(1)).status == 0)
    #expect(try repo.run("evaluate", params: params(4)).status == 0)
    #expect(repo.data("models/sft_adapter/adapter_model.safetensors") == adapter)
    #expect(repo.read("reports/evaluate.json") == metrics)
    #expect(metrics?.contains("calibration_records") == true)

    // The hand-written notes: their own section per model, at the operating point and at the argmax, and a
    // predictions CSV led by each note's id; `handwritten: null` leaves both out; a missing file is named.
    let notes = try HandwrittenNotesTests.notes()
    let report = try repo.json("reports/evaluate.json")
    for model in ["base", "sft", "dpo", "merged"] {
        let section = try #require((report[model] as? [String: Any])?["handwritten"] as? [String: Any], "\(model)")
        #expect(section["records"] as? Int == notes.count)
        let argmax = try #require(section["argmax"] as? [String: Any])
        for key in ["accuracy", "macro_f1", "under_triage_rate", "missed_immediate", "accuracy_by_language", "confusion_matrix"] {
            #expect(section[key] != nil && argmax[key] != nil, "\(model).handwritten.\(key)")
        }
        let rows = try #require(((section["confusion_matrix"] as? [String: Any])?["rows_true_columns_predicted"]) as? [[Int]])
        #expect(rows.map { $0.reduce(0, +) } == TriageLabel.allCases.map { label in notes.filter { $0.label == label }.count })
        #expect((section["accuracy_by_language"] as? [String: Any])?.keys.sorted() == ["en", "fr"])
    }
    let csv = try #require(repo.read("reports/plots/predictions_sft_handwritten.csv")).split(separator: "\n")
    #expect(csv.first == "id,lang,actual,predicted,logp_immediate,logp_medium,logp_delayed" && csv.count == notes.count + 1)
    #expect(csv.dropFirst().first?.hasPrefix("\(notes[0].id),\(notes[0].lang.rawValue),\(notes[0].label.rawValue),") == true)
    #expect(repo.exists("reports/plots/confusion_dpo_handwritten.svg"))
    #expect(try repo.run("evaluate", params: #"{"evaluate":{"limit":12,"preference_pairs":6,"handwritten":null}}"#).status == 0)
    #expect(repo.read("reports/evaluate.json")?.contains("handwritten") == false)
    #expect(!repo.exists("reports/plots/predictions_sft_handwritten.csv"))
    let missing = try repo.run("evaluate", params: #"{"evaluate":{"limit":12,"preference_pairs":6,"handwritten":"data/nowhere.jsonl"}}"#)
    #expect(missing.status == 1 && missing.stderr.contains("evaluate.handwritten: data/nowhere.jsonl does not exist"))

    // max_under_triage null: the plain argmax, no calibration pass.
    #expect(try repo.run("evaluate", params: #"{"evaluate":{"limit":12,"preference_pairs":6,"max_under_triage":null}}"#).status == 0)
    let argmaxOnly = repo.read("reports/evaluate.json") ?? ""
    #expect(argmaxOnly.contains(#""operating_point":{"immediate_bias":0}"#) && !argmaxOnly.contains("calibration_records"))

    // dpo.mine.records 0: the pairs of dpo.jsonl alone, the behaviour before mining.
    let unmined = try repo.run("dpo", params: #"{"dpo":{"steps":3,"batch_size":2,"max_pairs":16,"lr":0.001,"mine":{"records":0}}}"#)
    #expect(unmined.status == 0 && repo.read("reports/dpo.json")?.contains("mined") == false)
}

@Test func trainingStagesRejectBadParamsWithExitTwoAndMissingInputsWithExitOne() throws {
    let repo = try DataStageRepo()
    defer { repo.remove() }
    let typo = try repo.run("sft", params: #"{"sft":{"lora_alpah":32}}"#)
    #expect(typo.status == 2 && typo.stderr.contains("did you mean 'lora_alpha'"))
    let badHeads = try repo.run("pretrain", params: #"{"pretrain":{"heads":4,"kv_heads":3}}"#)
    #expect(badHeads.status == 2 && badHeads.stderr.contains("kv_heads"))
    let badRate = try repo.run("evaluate", params: #"{"evaluate":{"max_under_triage":1.5}}"#)
    #expect(badRate.status == 2 && badRate.stderr.contains("evaluate.max_under_triage"))
    let emptyPath = try repo.run("evaluate", params: #"{"evaluate":{"handwritten":""}}"#)
    #expect(emptyPath.status == 2 && emptyPath.stderr.contains("evaluate.handwritten"))
    let badMargin = try repo.run("dpo", params: #"{"dpo":{"mine":{"margin":-1}}}"#)
    #expect(badMargin.status == 2 && badMargin.stderr.contains("dpo.mine.margin"))
    let badWeight = try repo.run("dpo", params: #"{"dpo":{"mine":{"under_triage_weight":0}}}"#)
    #expect(badWeight.status == 2 && badWeight.stderr.contains("dpo.mine.under_triage_weight"))
    let mineTypo = try repo.run("dpo", params: #"{"dpo":{"mine":{"recrods":10}}}"#)
    #expect(mineTypo.status == 2 && mineTypo.stderr.contains("dpo.mine.recrods") && mineTypo.stderr.contains("did you mean 'records'"))
    let noBase = try repo.run("dpo", params: nil)
    #expect(noBase.status == 1 && noBase.stderr.contains("tokenizer.json"))
    let badCheckpoint = try repo.run("pretrain", params: #"{"pretrain":{"checkpoint":"nowhere"}}"#)
    #expect(badCheckpoint.status == 1 && badCheckpoint.stderr.contains("pretrain.checkpoint"))
}
