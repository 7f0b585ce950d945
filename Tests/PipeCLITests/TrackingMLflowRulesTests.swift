import Foundation
import PipeHTTP
import PipeMLflow
import Testing

/// What MLflow's server enforces and its Python client does, checked against the live server `scripts/mlflow.sh`
/// runs: key rules, run status on an interrupt, the run's user, a deleted experiment.
@Suite(.serialized) struct TrackingMLflowRulesTests {
    /// A `foreach` stage (names `train@a`, `train@b`) whose params and metrics have keys MLflow refuses.
    func foreachPipeline(_ repo: Repo) throws {
        try repo.write("params.yaml", "train:\n  lr: 0.5\n  \"batch size (global)\": 32\n")
        try repo.write("gen.sh", """
        printf 'step,loss\\n1,0.9\\n2,0.7\\n' > loss_$1.csv
        echo '{"acc@1": 0.75, "ok": 1.5}' > m_$1.json

        """)
        try repo.write("pipeline.yaml", """
        stages:
          train:
            foreach: [a, b]
            do:
              cmd: sh gen.sh ${item}
              deps: [gen.sh]
              params: [train]
              metrics:
                - m_${item}.json: {cache: false}
              plots:
                - loss_${item}.csv: {cache: false, x: step, y: loss}

        """)
    }

    @Test("keys MLflow refuses (a foreach stage's reasons tag, 'acc@1', 'batch size (global)') are renamed, so every param, metric and tag still reaches the run")
    func invalidKeysStillReachTheRun() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try foreachPipeline(repo)
        let experiment = TrackingTests.experimentName("keys")
        let result = try repo.pipe("repro", "--track", env: ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment,
                                                             "LOGNAME": "ada"])
        #expect(result.status == 0, "\(result.all)")
        #expect(!result.stderr.contains("warning: tracking"), "\(result.stderr)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.status == "FINISHED")
            #expect(run.data.params?.sorted { $0.key < $1.key } == [
                MLflowKeyValue(key: "train.batch size _global_", value: "32"), MLflowKeyValue(key: "train.lr", value: "0.5"),
            ])
            #expect(run.metric("m_a.acc_1") == 0.75)
            #expect(run.metric("m_b.ok") == 1.5)
            let history = try await client.metricHistory(runID: run.info.runID, key: "loss_a.loss")
            #expect(history.sorted { $0.step < $1.step }.map(\.value) == [0.9, 0.7])
            #expect(run.tag("pipe.reasons.train_a") == "never run", "\(run.data.tags ?? [])")
            #expect(run.tag("pipe.renamed_keys")?.contains("pipe.reasons.train@a=pipe.reasons.train_a") == true)
            #expect(run.tag("pipe.renamed_keys")?.contains("m_a.acc@1=m_a.acc_1") == true)
            #expect(run.tag("mlflow.user") == "ada")
        }
    }

    @Test("an interrupted tracked repro (Ctrl-C) ends its run KILLED with an end time, as MLflow's start_run does, and exits 1")
    func interruptedRunIsKilled() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("first.sh", "echo '{\"acc\": 0.5}' > m.json\n")
        try repo.write("stop.sh", ReproLockSafetyTests.interruptPipe.replacingOccurrences(of: "$PPID", with: "$1") + "\n")
        try repo.write("pipeline.yaml", """
        stages:
          first:
            cmd: sh first.sh
            metrics:
              - m.json: {cache: false}
          stop:
            cmd: sh stop.sh $PPID
            deps: [m.json]

        """)
        let experiment = TrackingTests.experimentName("kill")
        let result = try repo.pipe("repro", "--track", "-j", "1",
                                   env: ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(result.status == 1, "\(result.all)")
        #expect(result.stderr.contains("interrupted"), "\(result.stderr)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.status == "KILLED")
            #expect((run.info.endTime ?? 0) >= (run.info.startTime ?? .max))
            #expect(run.metric("m.acc") == 0.5)
        }
    }

    @Test("a deleted experiment: the repro succeeds, the warning says how to restore it, the run is kept and sent by push-tracking once it is restored")
    func deletedExperimentKeepsTheRun() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try foreachPipeline(repo)
        let experiment = TrackingTests.experimentName("deleted")
        let id = try await server.withClient { try await $0.experimentID(named: experiment) }
        try await Self.post(server, "experiments/delete", #"{"experiment_id": "\#(id)"}"#)
        let env = ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment]

        let result = try repo.pipe("repro", "--track", env: env)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.stderr.contains("MLflow experiment '\(experiment)' (id \(id)) is deleted; restore it "
                                       + "(`mlflow experiments restore --experiment-id \(id)`)"), "\(result.stderr)")
        #expect(result.stderr.contains("pipe exp push-tracking"), "\(result.stderr)")

        try await Self.post(server, "experiments/restore", #"{"experiment_id": "\#(id)"}"#)
        let push = try repo.pipe("exp", "push-tracking", env: env)
        #expect(push.status == 0, "\(push.all)")
        #expect(push.stdout == "Sent 1 run(s); 0 kept\n", "\(push.all)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.status == "FINISHED")
            #expect(run.param("train.lr") == "0.5")
        }
    }

    /// One raw MLflow REST call the client has no method for (deleting, restoring an experiment).
    static func post(_ server: MLflowTestServer, _ method: String, _ body: String) async throws {
        let endpoint = try MLflowEndpoint(uri: server.uri)
        try await HTTPTransport.withTransport(.init(connectTimeout: .seconds(2))) { transport in
            let response = try await transport.send(
                HTTPRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, port: endpoint.port,
                            path: endpoint.basePath + "/api/2.0/mlflow/" + method,
                            headers: [("Content-Type", "application/json")], body: .bytes(Array(body.utf8))),
                to: .memory(limit: 1 << 20))
            try #require(response.isSuccess, "\(method): HTTP \(response.status) \(response.bodyExcerpt)")
        }
    }
}
