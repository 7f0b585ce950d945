import ArgumentParser
import Foundation
import PipeCore

/// `pipe plots`: render the plots files stages declare.
struct PlotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plots", abstract: "Render plots to SVG and one HTML page.",
        subcommands: [PlotsShowCommand.self, PlotsDiffCommand.self])

    /// Writes the report (or prints its JSON), warns about missing files, and says where the page is.
    static func emit(_ report: PlotsReport, title: String, out: String?, json: Bool, start: URL, root: URL) throws {
        let directory = out.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : start.appendingPathComponent($0) }
            ?? root.appendingPathComponent("plots")
        try report.write(to: directory.standardizedFileURL, title: title)
        for path in report.missing {
            Terminal.printErr("warning: plots file \(path) does not exist; run the stage that writes it (`pipe repro`)")
        }
        if json {
            print(report.json(), terminator: "")
        } else {
            let count = report.plots.count
            print("\(count) plot\(count == 1 ? "" : "s") rendered: \(directory.standardizedFileURL.appendingPathComponent("index.html").path)")
        }
    }
}

/// `pipe plots show`: the workspace's plots.
struct PlotsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Render every declared plot to SVG and one self-contained HTML page.")

    @OptionGroup var repo: RepoOptions
    @Option(name: [.customShort("o"), .long], help: "Output directory (default: plots/ in the repository).") var out: String?
    @Flag(help: "Also print the plotted data as JSON.") var json = false

    func run() throws {
        let start = repo.start
        let snapshot = try RepoSnapshot.workspace(from: start)
        let report = try PlotsReport.build([snapshot])
        try PlotsCommand.emit(report, title: "pipe plots: workspace", out: out, json: json, start: start,
                              root: snapshot.repoRoot)
    }
}

/// `pipe plots diff [A [B]]`: each plot with the data of two sides overlaid.
struct PlotsDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Overlay plots of git revisions (default: HEAD vs the workspace).")

    @OptionGroup var repo: RepoOptions
    @Argument(help: "Old revision (default HEAD), then new revision (default: the workspace).") var revisions: [String] = []
    @Option(name: [.customShort("o"), .long], help: "Output directory (default: plots/ in the repository).") var out: String?
    @Flag(help: "Also print the plotted data as JSON.") var json = false

    func validate() throws {
        if revisions.count > 2 { throw ValidationError("at most two revisions can be compared") }
    }

    func run() throws {
        let start = repo.start
        let sides = try ReportSides.pair(revisions, from: start)
        let report = try PlotsReport.build([sides.old, sides.new])
        try PlotsCommand.emit(report, title: "pipe plots: \(sides.old.name) vs \(sides.new.name)", out: out, json: json,
                              start: start, root: sides.new.repoRoot)
    }
}
