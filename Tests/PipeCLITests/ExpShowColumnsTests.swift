import Foundation
import Testing

/// `pipe exp show` column selection (`--only-changed`, `--keys`, `--keep`, `--drop`) end to end.
@Suite struct ExpShowColumnsTests {
    /// One stage `train` whose metrics follow its params: `sft.acc` is the epochs, `loss.val` the learning rate;
    /// experiments `first` (lr 0.2) then `second` (lr 0.2, epochs 4), so the workspace ends as `second`.
    func repoWithExperiments() throws -> Repo {
        let repo = try Repo()
        try repo.write("params.yaml", "sft:\n  lr: 0.1\n  epochs: 2\npretrain:\n  lr: 0.5\nseed: 42\n")
        try repo.write("train.sh", """
            printf '{"sft": {"acc": %s}, "loss": {"val": %s}}\\n' "$2" "$1" > metrics.json

            """)
        try repo.write("pipeline.yaml", """
            stages:
              train:
                cmd: sh train.sh ${sft.lr} ${sft.epochs}
                deps: [train.sh]
                params: [sft, pretrain, seed]
                metrics:
                  - metrics.json:
                      cache: false

            """)
        #expect(try repo.pipe("exp", "run", "-n", "first", "-S", "sft.lr=0.2").status == 0)
        #expect(try repo.pipe("exp", "run", "-n", "second", "-S", "sft.epochs=4").status == 0)
        return repo
    }

    @Test("--only-changed shows only the params and metrics that differ between the rows; --drop Created hides the time")
    func onlyChanged() throws {
        let repo = try repoWithExperiments()
        let all = try repo.pipe("exp", "show", "--drop", "Created")
        #expect(all.status == 0, "\(all.all)")
        #expect(all.stdout == """
            Experiment  sft.epochs  sft.acc  loss.val
            workspace            4        4       0.2
            first                2        2       0.2
            second               4        4       0.2

            """)
        let changed = try repo.pipe("exp", "show", "--only-changed", "--drop", "Created")
        #expect(changed.status == 0)
        #expect(changed.stdout == """
            Experiment  sft.epochs  sft.acc
            workspace            4        4
            first                2        2
            second               4        4

            """)
        let kept = try repo.pipe("exp", "show", "--only-changed", "--drop", "Created", "--keep", "loss")
        #expect(kept.stdout.hasPrefix("Experiment  sft.epochs  sft.acc  loss.val\n"))
    }

    @Test("--keys sft.* shows every param and metric the glob matches, changed or not; a glob matching nothing exits 2")
    func keys() throws {
        let repo = try repoWithExperiments()
        let show = try repo.pipe("exp", "show", "--keys", "sft.*", "--drop", "Created")
        #expect(show.status == 0, "\(show.all)")
        #expect(show.stdout == """
            Experiment  sft.lr  sft.epochs  sft.acc
            workspace      0.2           4        4
            first          0.2           2        2
            second         0.2           4        4

            """)
        let two = try repo.pipe("exp", "show", "--keys", "seed", "--keys", "*.val", "--drop", "Created", "--md")
        #expect(two.stdout == """
            | Experiment | seed | loss.val |
            |---|---:|---:|
            | workspace | 42 | 0.2 |
            | first | 42 | 0.2 |
            | second | 42 | 0.2 |

            """)
        let json = try repo.pipe("exp", "show", "--keys", "sft.*", "--only-changed", "--json")
        #expect(json.stdout.hasPrefix(#"{"schema":1,"columns":{"params":["sft.epochs"],"metrics":["sft.acc"]},"rows":["#))
        let none = try repo.pipe("exp", "show", "--keys", "dpo.*")
        #expect(none.status == 2)
        #expect(none.stdout == "")
        #expect(none.stderr.contains("--keys 'dpo.*' matches no param or metric"))
        let badRegex = try repo.pipe("exp", "show", "--drop", "(")
        #expect(badRegex.status == 2)
        #expect(badRegex.stderr.contains("--drop '(' is not a valid regular expression"))
    }
}
