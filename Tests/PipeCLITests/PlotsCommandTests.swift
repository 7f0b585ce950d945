import Foundation
import Testing

/// `pipe plots show` and `pipe plots diff` end to end.
@Suite struct PlotsCommandTests {
    /// A stage copying CSV sources to declared plots: a loss curve with props and a confusion matrix.
    func repoWithPlots(y: String = "[train, val]") throws -> Repo {
        let repo = try Repo()
        try repo.write("src/loss.csv", "step,train,val\n0,2.0,2.2\n1,1.5,1.9\n2,1.1,1.6\n3,0.9,1.5\n")
        try repo.write("src/cm.csv", "actual,predicted\nimmediate,immediate\nimmediate,medium\nmedium,medium\ndelayed,delayed\n")
        try repo.write("pipeline.yaml", """
            stages:
              train:
                cmd: mkdir -p reports && cp src/loss.csv reports/loss.csv && cp src/cm.csv reports/cm.csv
                deps: [src]
                plots:
                  - reports/loss.csv:
                      x: step
                      y: \(y)
                      title: Training loss
                  - reports/cm.csv:
                      template: confusion
                      x: actual
                      y: predicted

            """)
        return repo
    }

    @Test("show writes one SVG per plot and one self-contained HTML page, byte-identical on a rerun")
    func show() throws {
        let repo = try repoWithPlots()
        #expect(try repo.pipe("repro").status == 0)
        let result = try repo.pipe("plots", "show")
        #expect(result.status == 0, "\(result.all)")
        #expect(result.stdout.contains("2 plots rendered"))
        let html = try #require(repo.read("plots/index.html"))
        let loss = try #require(repo.read("plots/reports/loss.csv.svg"))
        let cm = try #require(repo.read("plots/reports/cm.csv.svg"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("http://") == false)   // only the SVG namespace URI
        #expect(!html.contains("src=") && !html.contains("<link"))
        #expect(html.contains(loss) && html.contains(cm))
        #expect(loss.contains(">Training loss</text>") && loss.components(separatedBy: "<polyline").count == 3)
        #expect(loss.contains(">train</text>") && loss.contains(">val</text>") && loss.contains(">step</text>"))
        #expect(cm.contains(">immediate</text>") && cm.contains(">actual</text>") && cm.contains(">predicted</text>"))

        #expect(try repo.pipe("plots", "show").status == 0)
        #expect(repo.read("plots/index.html") == html)
        #expect(repo.read("plots/reports/loss.csv.svg") == loss)
    }

    @Test("--out chooses the directory and --json prints the plotted data")
    func outAndJSON() throws {
        let repo = try repoWithPlots()
        #expect(try repo.pipe("repro").status == 0)
        let result = try repo.pipe("plots", "show", "--out", "site/p", "--json")
        #expect(result.status == 0)
        #expect(repo.exists("site/p/index.html") && !repo.exists("plots"))
        #expect(result.stdout.contains(#"{"path":"reports/loss.csv","template":"linear","x":"step","y":["train","val"]"#))
        #expect(result.stdout.contains(#"{"name":"train","points":[[0.0,2.0],[1.0,1.5],[2.0,1.1],[3.0,0.9]]}"#))
        #expect(result.stdout.contains(#""labels":["delayed","immediate","medium"]"#))
    }

    @Test("A plot spec naming a missing column exits 2 naming the column and writes nothing")
    func missingColumn() throws {
        let repo = try repoWithPlots(y: "[train, vall]")
        #expect(try repo.pipe("repro").status == 0)
        let result = try repo.pipe("plots", "show")
        #expect(result.status == 2)
        #expect(result.stderr.contains("y column 'vall' is not in the file"))
        #expect(result.stderr.contains("did you mean 'val'?"))
        #expect(result.stderr.contains("pipeline.yaml:"))
        #expect(!repo.exists("plots"))
    }

    @Test("A missing plots file is reported and the other plots still render")
    func missingFile() throws {
        let repo = try repoWithPlots()
        #expect(try repo.pipe("repro").status == 0)
        try repo.remove("reports/cm.csv")
        let result = try repo.pipe("plots", "show")
        #expect(result.status == 0)
        #expect(result.stderr.contains("reports/cm.csv does not exist"))
        #expect(repo.exists("plots/reports/loss.csv.svg") && !repo.exists("plots/reports/cm.csv.svg"))
    }

    @Test("diff overlays the plot of a revision and of the workspace, series named by side")
    func diff() throws {
        let repo = try repoWithPlots()
        #expect(try repo.pipe("repro").status == 0)
        try repo.write(".gitignore", (repo.read(".gitignore") ?? "") + "plots/\n")
        try repo.commitAll("baseline")
        try repo.write("src/loss.csv", "step,train,val\n0,1.8,2.0\n1,1.2,1.5\n2,0.8,1.2\n3,0.5,1.0\n")
        #expect(try repo.pipe("repro").status == 0)
        let result = try repo.pipe("plots", "diff", "HEAD")
        #expect(result.status == 0, "\(result.all)")
        let loss = try #require(repo.read("plots/reports/loss.csv.svg"))
        #expect(loss.components(separatedBy: "<polyline").count - 1 == 4)
        for name in ["HEAD: train", "HEAD: val", "workspace: train", "workspace: val"] {
            #expect(loss.contains(">\(name)</text>"), "\(name)")
        }
        let cm = try #require(repo.read("plots/reports/cm.csv.svg"))
        #expect(cm.contains("data-name=\"HEAD\"") && cm.contains("data-name=\"workspace\""))
    }
}
