import Foundation
import Testing

/// `pipe metrics show`, `metrics diff` and `exp show` on files too wide for the terminal, end to end.
@Suite struct MetricsLayoutTests {
    /// The shape of the shipped `reports/evaluate.json`: a nested mapping per model, per-language and per-class
    /// scores, a confusion matrix and its labels; 109 leaves.
    static func evaluation(sftAccuracy: Double = 0.939566, sftMatrix: String = "[[306, 1, 0], [52, 370, 5], [4, 2, 319]]") -> String {
        func model(_ accuracy: Double, _ matrix: String, bias: Double) -> String {
            """
            {"accuracy": \(accuracy), "macro_f1": 0.94095, "under_triage_rate": 0.00325733,
             "accuracy_by_language": {"en": 0.947826, "fr": 0.929752},
             "per_class": {"immediate": {"precision": 0.845304, "recall": 0.996743, "f1": 0.914798},
                           "medium": {"precision": 0.994624, "recall": 0.866511, "f1": 0.926158},
                           "delayed": {"precision": 0.984568, "recall": 0.981538, "f1": 0.983051}},
             "confusion_matrix": {"labels": ["immediate", "medium", "delayed"], "rows_true_columns_predicted": \(matrix)},
             "operating_point": {"immediate_bias": \(bias), "calibration_records": 1060}}
            """
        }
        return """
            {"test_records": 1059,
             "base": \(model(0.289896, "[[305, 2, 0], [425, 2, 0], [325, 0, 0]]", bias: 0.0151821)),
             "sft": \(model(sftAccuracy, sftMatrix, bias: 2.57872)),
             "dpo": \(model(0.932011, "[[303, 4, 0], [45, 379, 3], [14, 6, 305]]", bias: 8.49373)),
             "merged": \(model(0.932011, "[[303, 4, 0], [45, 379, 3], [14, 6, 305]]", bias: 8.49373)),
             "distilled": \(model(0.9, "[[300, 7, 0], [60, 360, 7], [10, 10, 305]]", bias: 1)),
             "quantized": \(model(0.925, "[[301, 6, 0], [50, 372, 5], [9, 8, 308]]", bias: 3.5))}
            """
    }

    /// `evaluate` copies `src/evaluate.json`, `train` copies `src/train.json`; both are metrics files.
    func repo(evaluation: String = MetricsLayoutTests.evaluation()) throws -> Repo {
        let repo = try Repo()
        try repo.write("src/evaluate.json", evaluation)
        try repo.write("src/train.json", #"{"steps": 4000, "final_val_loss": 0.0110063, "final_train_loss": 0.0913951}"#)
        try repo.write("pipeline.yaml", """
            stages:
              train:
                cmd: mkdir -p reports && cp src/train.json reports/train.json
                deps: [src/train.json]
                metrics: [reports/train.json]
              evaluate:
                cmd: mkdir -p reports && cp src/evaluate.json reports/evaluate.json
                deps: [src/evaluate.json]
                metrics: [reports/evaluate.json]

            """)
        #expect(try repo.pipe("repro").status == 0)
        return repo
    }

    @Test("metrics show at 80 columns: a section per file, keys across when they fit, else a line per metric with matrices on one line")
    func showManyKeys() throws {
        let repo = try repo()
        let show = try repo.pipe("metrics", "show", env: ["COLUMNS": "80"])
        #expect(show.status == 0)
        #expect(show.stderr == "")
        #expect(show.stdout == Self.expectedShow)
        #expect(show.stdout.split(separator: "\n").allSatisfy { $0.count <= 80 })
        let json = try repo.pipe("metrics", "show", "--json", env: ["COLUMNS": "80"])
        #expect(json.stdout.hasPrefix(#"{"schema":1,"metrics":{"reports/train.json":{"steps":4000,"final_val_loss":0.0110063,"final_train_loss":0.0913951},"reports/evaluate.json":{"test_records":1059,"base":{"accuracy":0.289896,"#))
        #expect(json.stdout.contains(#""rows_true_columns_predicted":[[305,2,0],[425,2,0],[325,0,0]]"#))
    }

    @Test("--width beats COLUMNS; the default without a terminal is 80; a wide enough width gets DVC's single table")
    func widthOption() throws {
        let repo = try repo(evaluation: #"{"accuracy": 0.9, "confusion_matrix": [[5, 1], [0, 7]]}"#)
        let single = """
            Path                   steps  final_val_loss  final_train_loss  accuracy  confusion_matrix
            reports/train.json     4000   0.01101         0.0914            -         -
            reports/evaluate.json  -      -               -                 0.9       [[5 1] [0 7]]

            """
        let wide = try repo.pipe("metrics", "show", "--width", "100", env: ["COLUMNS": "40"])
        #expect(wide.status == 0)
        #expect(wide.stdout == single)
        let narrow = try repo.pipe("metrics", "show")
        #expect(narrow.status == 0)
        #expect(narrow.stdout == """
            reports/train.json
              steps  final_val_loss  final_train_loss
              4000   0.01101         0.0914

            reports/evaluate.json
              accuracy  confusion_matrix
              0.9       [[5 1] [0 7]]

            """)
        let zero = try repo.pipe("metrics", "show", "--width", "0")
        #expect(zero.status == 2)
        #expect(zero.stderr.contains("--width must be a positive number of columns, got 0"))
    }

    @Test("metrics diff too wide for 80 columns prints a section per file; a matrix too wide compares row by row, changed rows only")
    func diffSections() throws {
        let repo = try repo()
        try repo.commitAll("baseline")
        try repo.write("src/evaluate.json", Self.evaluation(sftAccuracy: 0.95, sftMatrix: "[[307, 0, 0], [40, 385, 2], [4, 2, 319]]"))
        try repo.write("src/train.json", #"{"steps": 5000, "final_val_loss": 0.009, "final_train_loss": 0.0913951}"#)
        #expect(try repo.pipe("repro").status == 0)
        let diff = try repo.pipe("metrics", "diff", env: ["COLUMNS": "80"])
        #expect(diff.status == 0, "\(diff.all)")
        #expect(diff.stderr == "")
        #expect(diff.stdout == """
            reports/train.json
              Metric          HEAD     workspace  Change
              steps           4000     5000       1000
              final_val_loss  0.01101  0.009      -0.00201

            reports/evaluate.json
              Metric                                               HEAD        workspace   Change
              sft.accuracy                                         0.93957     0.95        0.01043
              sft.confusion_matrix.rows_true_columns_predicted[0]  [306 1 0]   [307 0 0]   -
              sft.confusion_matrix.rows_true_columns_predicted[1]  [52 370 5]  [40 385 2]  -

            """)
        let wide = try repo.pipe("metrics", "diff", "--width", "200")
        #expect(wide.stdout.hasPrefix("Path                   Metric"), "\(wide.all)")
        #expect(wide.stdout.contains("[[306 1 0] [52 370 5] [4 2 319]]"))
    }
    /// What `pipe metrics show` prints for `repo()` at 80 columns: the whole output, every line at most 80 wide.
    static let expectedShow = """
        reports/train.json
          steps  final_val_loss  final_train_loss
          4000   0.01101         0.0914

        reports/evaluate.json
          test_records                                            1059
          base.accuracy                                           0.2899
          base.macro_f1                                           0.94095
          base.under_triage_rate                                  0.00326
          base.accuracy_by_language.en                            0.94783
          base.accuracy_by_language.fr                            0.92975
          base.per_class.immediate.precision                      0.8453
          base.per_class.immediate.recall                         0.99674
          base.per_class.immediate.f1                             0.9148
          base.per_class.medium.precision                         0.99462
          base.per_class.medium.recall                            0.86651
          base.per_class.medium.f1                                0.92616
          base.per_class.delayed.precision                        0.98457
          base.per_class.delayed.recall                           0.98154
          base.per_class.delayed.f1                               0.98305
          base.confusion_matrix.labels                            [immediate medium …]
          base.confusion_matrix.rows_true_columns_predicted       [[305 2 0] …]
          base.operating_point.immediate_bias                     0.01518
          base.operating_point.calibration_records                1060
          sft.accuracy                                            0.93957
          sft.macro_f1                                            0.94095
          sft.under_triage_rate                                   0.00326
          sft.accuracy_by_language.en                             0.94783
          sft.accuracy_by_language.fr                             0.92975
          sft.per_class.immediate.precision                       0.8453
          sft.per_class.immediate.recall                          0.99674
          sft.per_class.immediate.f1                              0.9148
          sft.per_class.medium.precision                          0.99462
          sft.per_class.medium.recall                             0.86651
          sft.per_class.medium.f1                                 0.92616
          sft.per_class.delayed.precision                         0.98457
          sft.per_class.delayed.recall                            0.98154
          sft.per_class.delayed.f1                                0.98305
          sft.confusion_matrix.labels                             [immediate medium …]
          sft.confusion_matrix.rows_true_columns_predicted        [[306 1 0] …]
          sft.operating_point.immediate_bias                      2.57872
          sft.operating_point.calibration_records                 1060
          dpo.accuracy                                            0.93201
          dpo.macro_f1                                            0.94095
          dpo.under_triage_rate                                   0.00326
          dpo.accuracy_by_language.en                             0.94783
          dpo.accuracy_by_language.fr                             0.92975
          dpo.per_class.immediate.precision                       0.8453
          dpo.per_class.immediate.recall                          0.99674
          dpo.per_class.immediate.f1                              0.9148
          dpo.per_class.medium.precision                          0.99462
          dpo.per_class.medium.recall                             0.86651
          dpo.per_class.medium.f1                                 0.92616
          dpo.per_class.delayed.precision                         0.98457
          dpo.per_class.delayed.recall                            0.98154
          dpo.per_class.delayed.f1                                0.98305
          dpo.confusion_matrix.labels                             [immediate medium …]
          dpo.confusion_matrix.rows_true_columns_predicted        [[303 4 0] …]
          dpo.operating_point.immediate_bias                      8.49373
          dpo.operating_point.calibration_records                 1060
          merged.accuracy                                         0.93201
          merged.macro_f1                                         0.94095
          merged.under_triage_rate                                0.00326
          merged.accuracy_by_language.en                          0.94783
          merged.accuracy_by_language.fr                          0.92975
          merged.per_class.immediate.precision                    0.8453
          merged.per_class.immediate.recall                       0.99674
          merged.per_class.immediate.f1                           0.9148
          merged.per_class.medium.precision                       0.99462
          merged.per_class.medium.recall                          0.86651
          merged.per_class.medium.f1                              0.92616
          merged.per_class.delayed.precision                      0.98457
          merged.per_class.delayed.recall                         0.98154
          merged.per_class.delayed.f1                             0.98305
          merged.confusion_matrix.labels                          [immediate medium …]
          merged.confusion_matrix.rows_true_columns_predicted     [[303 4 0] …]
          merged.operating_point.immediate_bias                   8.49373
          merged.operating_point.calibration_records              1060
          distilled.accuracy                                      0.9
          distilled.macro_f1                                      0.94095
          distilled.under_triage_rate                             0.00326
          distilled.accuracy_by_language.en                       0.94783
          distilled.accuracy_by_language.fr                       0.92975
          distilled.per_class.immediate.precision                 0.8453
          distilled.per_class.immediate.recall                    0.99674
          distilled.per_class.immediate.f1                        0.9148
          distilled.per_class.medium.precision                    0.99462
          distilled.per_class.medium.recall                       0.86651
          distilled.per_class.medium.f1                           0.92616
          distilled.per_class.delayed.precision                   0.98457
          distilled.per_class.delayed.recall                      0.98154
          distilled.per_class.delayed.f1                          0.98305
          distilled.confusion_matrix.labels                       [immediate medium …]
          distilled.confusion_matrix.rows_true_columns_predicted  [[300 7 0] …]
          distilled.operating_point.immediate_bias                1
          distilled.operating_point.calibration_records           1060
          quantized.accuracy                                      0.925
          quantized.macro_f1                                      0.94095
          quantized.under_triage_rate                             0.00326
          quantized.accuracy_by_language.en                       0.94783
          quantized.accuracy_by_language.fr                       0.92975
          quantized.per_class.immediate.precision                 0.8453
          quantized.per_class.immediate.recall                    0.99674
          quantized.per_class.immediate.f1                        0.9148
          quantized.per_class.medium.precision                    0.99462
          quantized.per_class.medium.recall                       0.86651
          quantized.per_class.medium.f1                           0.92616
          quantized.per_class.delayed.precision                   0.98457
          quantized.per_class.delayed.recall                      0.98154
          quantized.per_class.delayed.f1                          0.98305
          quantized.confusion_matrix.labels                       [immediate medium …]
          quantized.confusion_matrix.rows_true_columns_predicted  [[301 6 0] …]
          quantized.operating_point.immediate_bias                3.5
          quantized.operating_point.calibration_records           1060

        """
}
