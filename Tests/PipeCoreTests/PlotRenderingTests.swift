import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PipeCore

@Suite struct PlotRenderingTests {
    func csv(_ text: String, _ path: String = "loss.csv") throws -> PlotData { try PlotData.parse(Data(text.utf8), path: path) }

    @Test("CSV with quoted fields, TSV and JSON lists of objects parse into the same columns")
    func parsing() throws {
        let a = try csv("step,loss,note\n0,1.5,\"a, b\"\n1,1.25,\"say \"\"hi\"\"\"\n")
        #expect(a.columns == ["step", "loss", "note"])
        #expect(a.rows[0] == [.number(0), .number(1.5), .text("a, b")])
        #expect(a.rows[1][2] == .text("say \"hi\""))
        #expect(a.numericColumns == ["step", "loss"])
        let t = try csv("step\tloss\n0\t1.5\n1\t\n", "loss.tsv")
        #expect(t.rows == [[.number(0), .number(1.5)], [.number(1), .empty]])
        let gaps = try csv("step,loss\n0,1\n1,nan\n2,0.5\n")
        #expect(gaps.numericColumns == ["step", "loss"])
        guard case let .lines(chart) = try PlotBuilder.figure(PlotSpec(path: "loss.csv"), sides: [("workspace", gaps)]) else {
            Issue.record("expected lines"); return
        }
        #expect(chart.series[0].points == [PlotPoint(x: 0, y: 1), nil, PlotPoint(x: 2, y: 0.5)])
        let j = try csv(#"{"train": [{"step": 0, "loss": 1.5}, {"step": 1, "loss": 1.25, "acc": 0.5}]}"#, "loss.json")
        #expect(j.columns == ["step", "loss", "acc"])
        #expect(j.rows[0][2] == .empty)
    }

    @Test("A row with the wrong number of fields is an error naming the file and line")
    func raggedCSV() {
        #expect {
            _ = try csv("step,loss\n0,1\n1,2,3\n")
        } throws: { error in
            (error as? PipeError)?.location == SourceLocation(file: "loss.csv", line: 3, column: 1)
        }
    }

    @Test("Without x and y, the first numeric column is x and the other numeric columns are series")
    func defaultsWithSeveralColumns() throws {
        let data = try csv("epoch,train,val,tag\n1,3,4,a\n2,2,3,b\n")
        guard case let .lines(chart) = try PlotBuilder.figure(PlotSpec(path: "loss.csv"), sides: [("workspace", data)]) else {
            Issue.record("expected lines"); return
        }
        #expect(chart.xLabel == "epoch")
        #expect(chart.series.map(\.name) == ["train", "val"])
        #expect(chart.series[0].points == [PlotPoint(x: 1, y: 3), PlotPoint(x: 2, y: 2)])
    }

    @Test("A single numeric column is drawn over the row index")
    func defaultsWithOneColumn() throws {
        let data = try csv("loss\n3\n2\n")
        guard case let .lines(chart) = try PlotBuilder.figure(PlotSpec(path: "loss.csv"), sides: [("workspace", data)]) else {
            Issue.record("expected lines"); return
        }
        #expect(chart.xLabel == "step")
        #expect(chart.series[0].points == [PlotPoint(x: 0, y: 3), PlotPoint(x: 1, y: 2)])
    }

    @Test("A spec naming a missing column fails with the columns the file has and a suggestion")
    func missingColumn() throws {
        let data = try csv("step,train_loss\n0,1\n")
        let spec = PlotSpec(path: "loss.csv", x: "step", y: ["train_los"], location: SourceLocation(file: "pipeline.yaml", line: 7, column: 9))
        #expect {
            _ = try PlotBuilder.figure(spec, sides: [("workspace", data)])
        } throws: { error in
            guard let e = error as? PipeError else { return false }
            return e.code == .missingKey && e.exitCode == 2 && e.message.contains("'train_los'")
                && (e.fix ?? "").contains("did you mean 'train_loss'") && e.location?.line == 7
        }
    }

    @Test("Several sides overlay as series prefixed by the side's name")
    func overlay() throws {
        let old = try csv("step,loss\n0,2\n1,1\n"), new = try csv("step,loss\n0,3\n1,2\n")
        guard case let .lines(chart) = try PlotBuilder.figure(PlotSpec(path: "loss.csv", y: ["loss"]),
                                                              sides: [("HEAD", old), ("workspace", new)]) else {
            Issue.record("expected lines"); return
        }
        #expect(chart.series.map(\.name) == ["HEAD", "workspace"])
    }

    @Test("A confusion matrix counts actual (x) against predicted (y) over the sorted union of classes")
    func confusion() throws {
        let data = try csv("actual,predicted\ncat,cat\ncat,dog\ndog,dog\nbird,dog\n")
        let spec = PlotSpec(path: "c.csv", template: .confusion, x: "actual", y: ["predicted"])
        guard case let .confusion(chart) = try PlotBuilder.figure(spec, sides: [("workspace", data)]) else {
            Issue.record("expected a matrix"); return
        }
        #expect(chart.labels == ["bird", "cat", "dog"])
        #expect(chart.panels[0].counts == [[0, 0, 1], [0, 1, 1], [0, 0, 1]])
        let svg = ConfusionChartSVG.render(chart)
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == 9 + 1)
        #expect(svg.contains(">bird</text>"))
        let json = try PlotData.parse(Data(#"{"labels": ["a", "b"], "matrix": [[5, 1], [2, 7]]}"#.utf8), path: "m.json")
        #expect(json.matrix == PlotData.Matrix(labels: ["a", "b"], counts: [[5, 1], [2, 7]]))
    }

    @Test("Axis ticks land on round numbers covering the data")
    func ticks() {
        let scale = AxisScale(minimum: 0.13, maximum: 0.91, pixels: (0, 100))
        #expect(scale.ticks.first! <= 0.13 && scale.ticks.last! >= 0.91)
        #expect(scale.ticks.map(scale.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let flat = AxisScale(minimum: 5, maximum: 5, pixels: (0, 100))
        #expect(flat.lower < 5 && flat.upper > 5)
        #expect(AxisScale(minimum: 0, maximum: 19, pixels: (0, 1)).ticks.map { Int($0) } == [0, 5, 10, 15, 20])
    }

    @Test("A line SVG has title, ticks, one polyline per series and a legend, and is byte-identical on a rerun")
    func lineSVG() throws {
        let data = try csv("step,train,val\n0,2,2.5\n1,1.5,2\n2,1,1.8\n")
        let spec = PlotSpec(path: "loss.csv", x: "step", y: ["train", "val"], title: "Loss & <friends>")
        guard case let .lines(chart) = try PlotBuilder.figure(spec, sides: [("workspace", data)]) else {
            Issue.record("expected lines"); return
        }
        let svg = LineChartSVG.render(chart)
        #expect(svg == LineChartSVG.render(chart))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains(">Loss &amp; &lt;friends&gt;</text>"))
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 2)
        #expect(svg.contains("class=\"legend\"") && svg.contains(">train</text>") && svg.contains(">val</text>"))
        #expect(svg.contains(">0.0</text>") || svg.contains(">0</text>"))
        // Valid XML.
        _ = try XMLDocument(data: Data(svg.utf8))
    }

    @Test("Plot properties are read from pipeline.yaml entries, wdir-relative, with templated paths matching")
    func specReader() throws {
        let reader = try PlotSpecReader(pipelineText: """
            stages:
              train:
                cmd: x
                wdir: sub
                plots:
                  - loss.csv:
                      x: step
                      y: [a, b]
                      title: Loss
                  - plain.csv
              eval:
                foreach: [en, fr]
                do:
                  cmd: y
                  plots:
                    - cm_${item}.csv:
                        template: confusion
                        x: actual
                        y: predicted
            """)
        let loss = try reader.spec(for: "sub/loss.csv")
        #expect(loss.x == "step" && loss.y == ["a", "b"] && loss.title == "Loss" && loss.template == .linear)
        #expect(try reader.spec(for: "sub/plain.csv").x == nil)
        let cm = try reader.spec(for: "cm_fr.csv")
        #expect(cm.template == .confusion && cm.y == ["predicted"])
        let bad = try PlotSpecReader(pipelineText: "stages:\n  t:\n    cmd: x\n    plots:\n      - p.csv:\n          template: confusoin\n")
        #expect(throws: PipeError.self) { _ = try bad.spec(for: "p.csv") }
    }
}
