import Foundation
import PipeCore
import PipeMLflow
@testable import PipeTracking
import Testing

@Suite struct TrackingPayloadTests {
    @Test("a batch is split within MLflow's limits: 1000 metrics, 100 params, 100 tags per call, in order")
    func batchSplitsWithinLimits() {
        let metrics = (0..<2500).map { MLflowMetric(key: "m", value: Double($0), timestamp: 1, step: Int64($0)) }
        let params = (0..<150).map { MLflowKeyValue(key: "p\($0)", value: "v") }
        let tags = (0..<30).map { MLflowKeyValue(key: "t\($0)", value: "v") }
        let calls = MLflowBatch(metrics: metrics, params: params, tags: tags).split()
        #expect(calls.map(\.metrics.count) == [1000, 1000, 500])
        #expect(calls.map(\.params.count) == [100, 50, 0])
        #expect(calls.map(\.tags.count) == [30, 0, 0])
        #expect(calls.flatMap(\.metrics) == metrics)
        #expect(calls.flatMap(\.params) == params)
    }

    @Test("a param value past 6000 characters is cut, and a tag names the params that were cut")
    func longParamIsTruncatedWithTag() {
        let calls = MLflowBatch(params: [MLflowKeyValue(key: "long", value: String(repeating: "x", count: 7000)),
                                         MLflowKeyValue(key: "short", value: "y")]).split()
        #expect(calls.count == 1)
        #expect(calls[0].params[0].value.count == 6000)
        #expect(calls[0].params[1].value == "y")
        #expect(calls[0].tags == [MLflowKeyValue(key: "pipe.truncated_params", value: "long")])
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
