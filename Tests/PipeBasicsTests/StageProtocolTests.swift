import Testing
import PipeBasics

@Suite struct StageProtocolTests {
    @Test("a progress line has the prefix and a compact JSON object with done, total and message in that order")
    func encode() {
        let line = ProgressLine(done: 3, total: 10, message: #"rows "x" é"#)
        #expect(line.text == #"pipe:progress {"done":3,"total":10,"message":"rows \"x\" é"}"#)
    }

    @Test("a progress line parses back to the same report, control characters included")
    func roundTrip() {
        for line in [ProgressLine(done: 0, total: 0, message: ""),
                     ProgressLine(done: 9_999, total: 10_000, message: "tab\there\nnewline \u{08}\u{0C}\u{01} 中")] {
            #expect(ProgressLine(parsing: line.text) == line)
        }
    }

    @Test("ordinary output and broken progress lines are not progress")
    func notProgress() {
        #expect(ProgressLine(parsing: "loaded 10 rows") == nil)
        #expect(ProgressLine(parsing: "pipe:progress not json") == nil)
        #expect(ProgressLine(parsing: #"pipe:progress {"done":"x"}"#) == ProgressLine(done: 0, total: 0, message: ""))
    }

    @Test("the environment names are the ones docs/cli.md promises stages")
    func environmentNames() {
        #expect([StageEnvironment.stage, StageEnvironment.repoRoot, StageEnvironment.params,
                 StageEnvironment.pluginDirectory] == ["PIPE_STAGE", "PIPE_REPO_ROOT", "PIPE_PARAMS", "PIPE_PLUGIN_DIR"])
    }
}
