import Foundation
import PipeBasics
import PipeCore
import PipeMLflow
@testable import PipeTracking
import Testing

@Suite struct TrackingPayloadTests {
    @Test("a batch is split within MLflow's limits: 1000 metrics, 100 params, 100 tags and 1000 entities in all per call, in order")
    func batchSplitsWithinLimits() {
        let metrics = (0..<2500).map { MLflowMetric(key: "m", value: Double($0), timestamp: 1, step: Int64($0)) }
        let params = (0..<150).map { MLflowKeyValue(key: "p\($0)", value: "v") }
        let tags = (0..<30).map { MLflowKeyValue(key: "t\($0)", value: "v") }
        let calls = MLflowBatch(metrics: metrics, params: params, tags: tags).split()
        #expect(calls.map(\.metrics.count) == [870, 950, 680])
        #expect(calls.map(\.params.count) == [100, 50, 0])
        #expect(calls.map(\.tags.count) == [30, 0, 0])
        #expect(calls.map { $0.metrics.count + $0.params.count + $0.tags.count } == [1000, 1000, 680])
        #expect(calls.flatMap(\.metrics) == metrics)
        #expect(calls.flatMap(\.params) == params)
        #expect(calls.flatMap(\.tags) == tags)
    }

    @Test("long params and tags are dealt out so that no call's body comes near MLflow's 1 MB request limit")
    func bigValuesSplitUnderTheRequestLimit() {
        let params = (0..<100).map { MLflowKeyValue(key: "p\($0)", value: String(repeating: "\"", count: 6000)) }
        let tags = (0..<100).map { MLflowKeyValue(key: "t\($0)", value: String(repeating: "é", count: 8000)) }
        let calls = MLflowBatch(params: params, tags: tags).split()
        let bodies = calls.map { call in
            (call.params + call.tags).reduce(0) { $0 + JSONString.quote($1.key).utf8.count + JSONString.quote($1.value).utf8.count }
        }
        #expect(calls.count == 4)
        #expect(bodies.allSatisfy { $0 < MLflowBatch.maxBodyBytes }, "\(bodies)")
        #expect(calls.flatMap(\.params) == params)
        #expect(calls.flatMap(\.tags) == tags)
    }

    @Test("keys MLflow refuses are renamed to valid ones, listed in pipe.renamed_keys; a param named twice is sent once")
    func invalidKeysAreRenamed() {
        let batch = MLflowBatch(
            metrics: [MLflowMetric(key: "m.acc@1", value: 1, timestamp: 1), MLflowMetric(key: "m.acc@1", value: 2, timestamp: 1, step: 1),
                      MLflowMetric(key: "m.ok", value: 3, timestamp: 1)],
            params: [MLflowKeyValue(key: "train.batch size (global)", value: "32"), MLflowKeyValue(key: "train.lr", value: "0.5"),
                     MLflowKeyValue(key: "train.lr", value: "0.5")],
            tags: [MLflowKeyValue(key: "pipe.reasons.train@a", value: "never run"), MLflowKeyValue(key: "k", value: "old"),
                   MLflowKeyValue(key: "k", value: "new")])
        let calls = batch.split()
        #expect(calls.count == 1)
        #expect(calls[0].metrics.map(\.key) == ["m.acc_1", "m.acc_1", "m.ok"])
        #expect(calls[0].params == [MLflowKeyValue(key: "train.batch size _global_", value: "32"),
                                    MLflowKeyValue(key: "train.lr", value: "0.5")])
        #expect(calls[0].tags == [
            MLflowKeyValue(key: "pipe.reasons.train_a", value: "never run"), MLflowKeyValue(key: "k", value: "new"),
            MLflowKeyValue(key: "pipe.renamed_keys",
                           value: "m.acc@1=m.acc_1,train.batch size (global)=train.batch size _global_,pipe.reasons.train@a=pipe.reasons.train_a"),
        ])
        #expect(calls[0].split() == calls, "splitting again changes nothing (a backlog is split again when sent)")
    }

    @Test("an MLflow key is valid as the server's validation.py says: charset, 250 characters, a normal relative path")
    func keyValidation() {
        for key in ["sft.lr", "params.yaml:sft.lr", "a/b c-d_e", "évaluation.précision", ".hidden", String(repeating: "k", count: 250)] {
            #expect(MLflowKey.isValid(key), "\(key)")
            #expect(MLflowKey.sanitized(key) == key)
        }
        let fixes: [(String, String)] = [
            ("acc@1", "acc_1"), ("lr (global)", "lr _global_"), ("a//b", "a__b"), ("/abs", "_abs"), ("a/", "a_"),
            ("a/./b", "a_._b"), ("../up", "_._up"), ("..x", "_.x"), (".", "_"), ("", "_"), ("x\ny", "x_y"),
            (String(repeating: "k", count: 300), String(repeating: "k", count: 250)),
        ]
        for (key, fixed) in fixes {
            #expect(!MLflowKey.isValid(key), "\(key)")
            #expect(MLflowKey.sanitized(key) == fixed, "\(key)")
            #expect(MLflowKey.isValid(MLflowKey.sanitized(key)), "\(key)")
        }
    }

    @Test("a param value past 6000 characters (as Python counts them) is cut, and a tag names the params that were cut")
    func longParamIsTruncatedWithTag() {
        let decomposed = String(repeating: "e\u{301}", count: 3500)   // 3500 characters, 7000 Unicode scalars
        let calls = MLflowBatch(params: [MLflowKeyValue(key: "long", value: String(repeating: "x", count: 7000)),
                                         MLflowKeyValue(key: "short", value: "y"),
                                         MLflowKeyValue(key: "accents", value: decomposed)]).split()
        #expect(calls.count == 1)
        #expect(calls[0].params[0].value.count == 6000)
        #expect(calls[0].params[1].value == "y")
        #expect(calls[0].params[2].value.unicodeScalars.count == 6000)
        #expect(calls[0].tags == [MLflowKeyValue(key: "pipe.truncated_params", value: "long,accents")])
    }

    @Test("an empty batch makes no call")
    func emptyBatchNoCall() {
        #expect(MLflowBatch().split().isEmpty)
    }

    @Test("metric keys are the file's name without extension, a dot and the key")
    func metricKeys() {
        #expect(TrackingKeys.metric(file: "reports/sft.json", key: "final_val_loss") == "sft.final_val_loss")
        #expect(TrackingKeys.series(file: "reports/sft_loss.csv", column: "loss") == "sft_loss.loss")
        #expect(TrackingKeys.series(file: "loss", column: "y") == "loss.y")
    }

    @Test("progress messages of a stage become the step points of its declared plot columns; others are ignored")
    func progressMessagesBecomeStepPoints() throws {
        let text = """
        stages:
          sft:
            cmd: "true"
            plots:
              - reports/sft_loss.csv: {x: step, y: loss}
              - reports/sft_val_loss.csv: {x: step, y: val_loss}
        """
        let pipeline = try PipelineLoader(repoRoot: FileManager.default.temporaryDirectory).load(text: text, file: "pipeline.yaml")
        let specs = try PlotSpecReader(pipelineText: text)
        let relay = StepMetrics(pipeline: pipeline, specs: specs)
        let points = relay.points(stage: "sft", message: "step 12 loss 2.31 val_loss 2.40")
        #expect(points.map(\.key) == ["sft_loss.loss", "sft_val_loss.val_loss"])
        #expect(points.map(\.step) == [12, 12])
        #expect(points.map(\.value) == [2.31, 2.40])
        #expect(relay.points(stage: "sft", message: "step 3 loss 1.5 accuracy 0.9").map(\.key) == ["sft_loss.loss"])
        #expect(relay.points(stage: "sft", message: "400 examples, 8 for validation").isEmpty)
        #expect(relay.points(stage: "other", message: "step 1 loss 1").isEmpty)
    }

    @Test("a tracking URI with credentials in it is refused without echoing them")
    func uriWithCredentialsRefused() throws {
        #expect(throws: MLflowError.self) { try MLflowEndpoint(uri: "http://user:secret@host:5000") }
        do {
            _ = try MLflowEndpoint(uri: "http://user:secret@host:5000")
        } catch {
            #expect(!error.description.contains("secret"))
        }
        #expect(throws: MLflowError.self) { try MLflowEndpoint(uri: "file:///tmp/mlruns") }
        #expect(try MLflowEndpoint(uri: "http://127.0.0.1:5000/prefix/").basePath == "/prefix")
    }

    @Test("a pending run survives a round trip through its backlog file")
    func pendingRunRoundTrip() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pipe-tracking-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var run = PendingRun(id: "20261204T000000Z-abc", uri: "http://127.0.0.1:1", experiment: "e")
        run.calls = [.create(name: "n", startTime: 5, tags: [MLflowKeyValue(key: "k", value: "v")]),
                     .log(MLflowBatch(metrics: [MLflowMetric(key: "m", value: 1.5, timestamp: 2, step: 3)])),
                     .upload(path: "a/b.json", file: "artifacts/a/b.json"),
                     .finish(status: .failed, endTime: 9, name: nil)]
        try run.save(cacheRoot: root)
        let (runs, unreadable) = PendingRun.backlog(cacheRoot: root)
        #expect(runs == [run])
        #expect(unreadable.isEmpty)
    }
}
