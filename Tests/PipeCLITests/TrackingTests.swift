import Foundation
import PipeHTTP
import PipeMLflow
import Testing

/// The MLflow server `scripts/mlflow.sh start` runs, found through its env file (`.build/services/mlflow.env`,
/// or `$PIPE_MLFLOW_ENV_FILE`). When none answers the tests fail saying how to start one: they never skip.
struct MLflowTestServer {
    let uri: String

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func load() throws -> MLflowTestServer {
        let file = ProcessInfo.processInfo.environment["PIPE_MLFLOW_ENV_FILE"]
            ?? repositoryRoot.appendingPathComponent(".build/services/mlflow.env").path
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("MLFLOW_TRACKING_URI=") }) else {
            throw Missing(reason: "no MLflow server (\(file) is missing); start one with `bash scripts/mlflow.sh start`")
        }
        return MLflowTestServer(uri: String(line.dropFirst("MLFLOW_TRACKING_URI=".count)))
    }

    struct Missing: Error, CustomStringConvertible { var reason: String; var description: String { reason } }

    /// Runs `body` with a client of the server, after checking that it answers.
    func withClient<T: Sendable>(_ body: (MLflowClient) async throws -> T) async throws -> T {
        try await HTTPTransport.withTransport(.init(connectTimeout: .seconds(2))) { transport in
            let client = MLflowClient(endpoint: try MLflowEndpoint(uri: uri), transport: transport)
            do {
                _ = try await client.searchRuns(experimentIDs: ["0"], maxResults: 1)
            } catch {
                throw Missing(reason: "the MLflow server at \(uri) does not answer (\(error)); "
                              + "start one with `bash scripts/mlflow.sh start`")
            }
            return try await body(client)
        }
    }

    /// The one run of `experiment` (the test's own), as `runs/get` returns it.
    func onlyRun(of experiment: String, _ client: MLflowClient) async throws -> MLflowRun {
        let id = try await client.experimentID(named: experiment)
        let runs = try await client.searchRuns(experimentIDs: [id])
        try #require(runs.count == 1, "runs of \(experiment): \(runs.map(\.info.runName))")
        return try await client.run(id: runs[0].info.runID)
    }
}

@Suite(.serialized) struct TrackingTests {
    static func experimentName(_ test: String) -> String { "pipe-test-\(test)-\(UUID().uuidString.prefix(8))" }

    @Test("exp run -S sft.lr on the shipped pipeline: one MLflow run with params, final metrics, every SFT loss step, tags and artifacts")
    func experimentRunAppearsInMLflow() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try ShippedPipelineRunCacheTests.writeShippedPipeline(into: repo)
        _ = try repo.run("/usr/bin/env", ["git", "init", "-q"])
        _ = try repo.run("/usr/bin/env", ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "init", "--allow-empty"])
        let experiment = Self.experimentName("exp")
        let result = try repo.pipe("exp", "run", "-S", "sft.lr=0.003", "-n", "lr3",
                                   env: ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(result.status == 0, "\(result.all)")
        #expect(result.stdout.contains("Tracked as MLflow run "), "\(result.all)")
        #expect(!result.stderr.contains("warning: tracking"), "\(result.stderr)")

        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.runName == "lr3")
            #expect(run.info.status == "FINISHED")
            #expect(run.param("sft.lr") == "0.003")
            #expect(run.param("sft.steps") == "4")
            #expect(run.param("pretrain.steps") == "6")
            #expect(run.param("sft.r") == "4", "\(run.data.params ?? [])")
            let sft = try #require(repo.read("reports/sft.json"))
            let finalLoss = try #require((try JSONSerialization.jsonObject(with: Data(sft.utf8)) as? [String: Any])?["final_train_loss"] as? Double)
            #expect(abs((run.metric("sft.final_train_loss") ?? .nan) - finalLoss) < 1e-9)
            #expect(run.metric("evaluate.sft.accuracy") != nil || run.data.metrics?.contains { $0.key.hasPrefix("evaluate.") } == true)

            let history = try await client.metricHistory(runID: run.info.runID, key: "sft_loss.loss")
            #expect(history.map(\.step).sorted() == [1, 2, 3, 4], "\(history)")
            let csvRows = try #require(repo.read("reports/sft_loss.csv")).split(separator: "\n").dropFirst()
            let csvLoss = csvRows.map { Double($0.split(separator: ",")[1])! }
            #expect(history.sorted { $0.step < $1.step }.map(\.value) == csvLoss)
            // Relayed live: every step was logged while SFT ran, before the final metrics (logged at the end).
            let finalMetric = try #require(try await client.metricHistory(runID: run.info.runID, key: "sft.final_train_loss").first)
            #expect(history.allSatisfy { $0.timestamp < finalMetric.timestamp }, "\(history) vs \(finalMetric)")
            let validation = try await client.metricHistory(runID: run.info.runID, key: "sft_val_loss.val_loss")
            #expect(validation.map(\.step).sorted() == [2, 4])
            let pretrain = try await client.metricHistory(runID: run.info.runID, key: "pretrain_loss.loss")
            #expect(pretrain.map(\.step).sorted() == Array(1...6))
            let dpo = try await client.metricHistory(runID: run.info.runID, key: "dpo_loss.loss")
            #expect(dpo.map(\.step).sorted() == [1, 2, 3])

            #expect(run.tag("pipe.kind") == "exp")
            #expect(run.tag("pipe.experiment") == "lr3")
            #expect(run.tag("mlflow.source.git.commit")?.count == 40)
            #expect(run.tag("pipe.git.dirty") != nil)
            #expect(run.tag("pipe.lock_hash")?.count == 32)
            #expect(run.tag("pipe.stages_ran")?.split(separator: ",").contains("sft") == true)
            #expect(run.tag("pipe.reasons.sft")?.contains("param sft.lr") == true || run.tag("pipe.reasons.sft")?.contains("never") == true,
                    "\(run.tag("pipe.reasons.sft") ?? "none")")
            #expect(run.tag("pipe.reasons.dpo")?.contains("because sft") == true || run.tag("pipe.reasons.dpo") != nil)

            let reports = try await client.listArtifacts(runID: run.info.runID, path: "reports")
            #expect(reports.contains { $0.path == "reports/sft.json" }, "\(reports)")
            #expect(reports.contains { $0.path == "reports/sft_loss.csv" })
            let plots = try await client.listArtifacts(runID: run.info.runID, path: "plots/reports")
            #expect(plots.contains { $0.path == "plots/reports/sft_loss.csv.svg" && ($0.fileSize ?? 0) > 0 }, "\(plots)")
        }

        let show = try repo.pipe("exp", "show", "--mlflow", env: ["MLFLOW_TRACKING_URI": server.uri,
                                                                "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(show.status == 0, "\(show.all)")
        #expect(show.stdout.contains("MLflow runs at \(server.uri)"), "\(show.stdout)")
        #expect(show.stdout.contains("lr3") && show.stdout.contains("FINISHED"), "\(show.stdout)")
        let kept = (try? FileManager.default.contentsOfDirectory(
            atPath: repo.root.appendingPathComponent(".cache/tracking/runs").path)) ?? []
        #expect(kept.isEmpty, "backlog left: \(kept)")
    }

    /// A training script writing a metric and a three-step loss curve.
    static let plainTraining = """
    printf 'step,loss\\n1,0.9\\n2,0.7\\n3,0.4\\n' > loss.csv
    echo '{"acc": 0.75}' > m.json

    """

    /// A two-stage pipeline: `train` runs `train` (writing m.json and loss.csv), then `check` runs `check`
    /// (which must write checked.txt unless it fails).
    func tinyPipeline(_ repo: Repo, train: String = Self.plainTraining, check: String) throws {
        try repo.write("params.yaml", "train: {lr: 0.5}\n")
        try repo.write("train.sh", train)
        try repo.write("check.sh", check)
        try repo.write("pipeline.yaml", """
        stages:
          train:
            cmd: sh train.sh
            deps: [train.sh]
            params: [train]
            metrics:
              - m.json: {cache: false}
            plots:
              - loss.csv: {cache: false, x: step, y: loss}
          check:
            cmd: sh check.sh
            deps: [check.sh, m.json]
            outs: [checked.txt]

        """)
    }

    static let passingCheck = "cat m.json > checked.txt\n"

    @Test("a failing stage gives a FAILED run tagged with the stage's name, and the command still fails with exit 1")
    func failingStageGivesFailedRun() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try tinyPipeline(repo, check: "cat m.json > checked.txt\nexit 3\n")
        let experiment = Self.experimentName("fail")
        let result = try repo.pipe("repro", "--track", env: ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(result.status == 1, "\(result.all)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.status == "FAILED")
            #expect(run.tag("pipe.failed_stage") == "check")
            #expect(run.tag("pipe.kind") == "repro")
            #expect(run.param("train.lr") == "0.5")
            #expect(run.metric("m.acc") == 0.75)
            let history = try await client.metricHistory(runID: run.info.runID, key: "loss.loss")
            #expect(history.sorted { $0.step < $1.step }.map(\.value) == [0.9, 0.7, 0.4])
        }
    }

    @Test("with the server down the run succeeds, says so once, keeps a backlog; push-tracking sends it later")
    func serverDownKeepsBacklogForPushTracking() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try tinyPipeline(repo, check: Self.passingCheck)
        let experiment = Self.experimentName("down")
        let down = "http://127.0.0.1:9"   // discard port: nothing listens
        let started = Date()
        let result = try repo.pipe("exp", "run", "-n", "offline", env: ["MLFLOW_TRACKING_URI": down, "MLFLOW_EXPERIMENT_NAME": experiment])
        let seconds = Date().timeIntervalSince(started)
        #expect(result.status == 0, "\(result.all)")
        #expect(result.stdout.contains("Recorded experiment 'offline'"))
        #expect(result.stderr.components(separatedBy: "MLflow tracking paused").count == 2, "\(result.stderr)")
        #expect(result.stderr.contains("pipe exp push-tracking"), "\(result.stderr)")
        #expect(seconds < 15, "took \(seconds) s")
        let kept = try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent(".cache/tracking/runs").path)
        #expect(kept.count == 1)

        let push = try repo.pipe("exp", "push-tracking", env: ["MLFLOW_TRACKING_URI": down, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(push.status == 1, "\(push.all)")   // still down: kept, exit 1
        let sent = try repo.pipe("exp", "push-tracking", env: ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(sent.status == 0, "\(sent.all)")
        #expect(sent.stdout.contains("Sent 1 run(s); 0 kept"), "\(sent.all)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.runName == "offline")
            #expect(run.info.status == "FINISHED")
            #expect(run.metric("m.acc") == 0.75)
            let artifacts = try await client.listArtifacts(runID: run.info.runID)
            #expect(artifacts.contains { $0.path == "m.json" }, "\(artifacts)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.root.appendingPathComponent(".cache/tracking/runs").path).isEmpty)
    }

    /// A loopback TCP forwarder to the MLflow server (a Python one-liner), so a test can make the server vanish
    /// mid-run by killing it (with SIGKILL: the test runner's children may ignore SIGTERM); returns the process
    /// and its port.
    static func startForwarder(to uri: String) throws -> (Process, Int) {
        let target = try #require(uri.split(separator: ":").last.flatMap { Int($0) })
        let script = """
        import socket, sys, threading
        srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", 0)); srv.listen(16)
        print(srv.getsockname()[1], flush=True)
        def pump(a, b):
            try:
                while True:
                    d = a.recv(65536)
                    if not d: break
                    b.sendall(d)
            except OSError: pass
            for s in (a, b):
                try: s.shutdown(socket.SHUT_RDWR)
                except OSError: pass
        while True:
            c, _ = srv.accept()
            u = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            threading.Thread(target=pump, args=(c, u), daemon=True).start()
            threading.Thread(target=pump, args=(u, c), daemon=True).start()
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(target)]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice   // nothing of the test's output may outlive it
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let port = try #require(Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)))
        return (process, port)
    }

    @Test("the server stopped mid-run: the run succeeds, live steps sent before the stop stay, the rest is sent by push-tracking into the same run")
    func serverStoppedMidRun() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let (forwarder, port) = try Self.startForwarder(to: server.uri)
        defer { if forwarder.isRunning { kill(forwarder.processIdentifier, SIGKILL) } }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try repo.write("proxy.pid", "\(forwarder.processIdentifier)\n")
        // A training stage reporting its steps through progress lines, as StageKit writes them; then a stage
        // that stops the server.
        try tinyPipeline(repo, train: """
        for s in 1 2 3; do echo "pipe:progress {\\"done\\":$s,\\"total\\":3,\\"message\\":\\"step $s loss 0.$((10 - s))\\"}" >&2; done
        printf 'step,loss\\n1,0.9\\n2,0.8\\n3,0.7\\n' > loss.csv
        echo '{"acc": 0.5}' > m.json
        sleep 1

        """, check: "kill -9 \"$(cat proxy.pid)\"\nsleep 0.3\n" + Self.passingCheck)
        let experiment = Self.experimentName("midrun")
        let proxied = "http://127.0.0.1:\(port)"
        let result = try repo.pipe("exp", "run", "-n", "midrun", env: ["MLFLOW_TRACKING_URI": proxied, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(result.status == 0, "\(result.all)")
        #expect(!forwarder.isRunning)
        #expect(result.stderr.components(separatedBy: "MLflow tracking paused").count == 2, "\(result.stderr)")
        var runID = ""
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            runID = run.info.runID
            #expect(run.info.status == "RUNNING")
            let live = try await client.metricHistory(runID: run.info.runID, key: "loss.loss")
            #expect(live.map(\.step).sorted() == [1, 2, 3], "\(live)")
        }
        let sent = try repo.pipe("exp", "push-tracking", env: ["MLFLOW_TRACKING_URI": server.uri, "MLFLOW_EXPERIMENT_NAME": experiment])
        #expect(sent.status == 0, "\(sent.all)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.runID == runID)
            #expect(run.info.status == "FINISHED")
            #expect(run.info.runName == "midrun")
            #expect(run.metric("m.acc") == 0.5)
            let history = try await client.metricHistory(runID: run.info.runID, key: "loss.loss")
            #expect(history.sorted { $0.step < $1.step }.map(\.value) == [0.9, 0.8, 0.7], "\(history)")
        }
    }

    @Test("tracking config: an unknown key is exit 2 with a did-you-mean; the config's URI is used, and MLFLOW_TRACKING_URI wins over it")
    func trackingConfig() async throws {
        let server = try MLflowTestServer.load()
        try await server.withClient { _ in }
        let repo = try Repo()
        defer { try? FileManager.default.removeItem(at: repo.root) }
        try tinyPipeline(repo, check: Self.passingCheck)
        try repo.write(".pipe/config", "tracking:\n  mlflow:\n    uri: \(server.uri)\n    experimnt: x\n")
        let bad = try repo.pipe("repro", "--track")
        #expect(bad.status == 2, "\(bad.all)")
        #expect(bad.stderr.contains("did you mean 'experiment'"), "\(bad.stderr)")

        let experiment = Self.experimentName("config")
        try repo.write(".pipe/config", "tracking:\n  mlflow:\n    uri: http://127.0.0.1:9\n    experiment: \(experiment)\n")
        let wins = try repo.pipe("repro", "--track", env: ["MLFLOW_TRACKING_URI": server.uri])
        #expect(wins.status == 0, "\(wins.all)")
        #expect(wins.stdout.contains("Tracked as MLflow run"), "\(wins.all)")
        try await server.withClient { client in
            let run = try await server.onlyRun(of: experiment, client)
            #expect(run.info.status == "FINISHED")
            #expect(run.tag("pipe.kind") == "repro")
        }
        try repo.write(".pipe/config", "tracking:\n  mlflow:\n    uri: \(server.uri)\n    experiment: \(experiment)\n")
        let fromConfig = try repo.pipe("repro", "--track", env: ["MLFLOW_TRACKING_URI": ""])
        #expect(fromConfig.stdout.contains("Tracked as MLflow run"), "\(fromConfig.all)")
        let off = try repo.pipe("repro", "--track", env: ["MLFLOW_TRACKING_URI": "ftp://x"])
        #expect(off.status == 2, "\(off.all)")
    }
}

