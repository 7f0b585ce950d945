import Foundation
import StageKit
import TriageData

/// download: materialises every source in params under `out/<name>/` (generated, fetched and verified, or copied)
/// and writes `out/manifest.json` listing each file with its size and sha256. The whole directory is built in a
/// temp sibling and renamed into place, so a failing source leaves the previous output untouched.
StageMain.run(name: "download") { context in
    let params: DownloadParams = try context.params()
    let progress = ProgressReporter()
    let out = context.resolve(params.out)
    let fetcher = RemoteFetcher(timeout: params.timeout)
    try AtomicOutput.writeDirectory(at: out) { temp in
        var manifest: [JSONLineValue] = []
        for (index, source) in params.sources.enumerated() {
            let dir = temp.appendingPathComponent(source.name)
            progress.report(done: index, total: params.sources.count, message: "source \(source.name)", force: true)
            let written = try DownloadRunner.materialise(source, into: dir, context: context, fetcher: fetcher,
                                                        progress: progress)
            for (path, data) in written {
                let sum = Checksum.of(data: data, algorithm: .sha256)
                manifest.append(.object([("source", .string(source.name)), ("path", .string("\(source.name)/\(path)")),
                                         ("bytes", .int(data.count)), ("sha256", .string(sum.hex))]))
            }
        }
        let text = JSONLineValue.object([("files", .array(manifest))]).text(.jsonLines) + "\n"
        try AtomicOutput.write(text, to: temp.appendingPathComponent("manifest.json"))
        progress.report(done: params.sources.count, total: params.sources.count, message: "done")
    }
}
