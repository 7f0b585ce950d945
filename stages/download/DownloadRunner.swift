import Foundation
import StageKit
import TriageData

/// Materialises one source into a directory and returns what it wrote (relative path, bytes).
enum DownloadRunner {
    static func materialise(_ source: DownloadSource, into dir: URL, context: StageContext, fetcher: RemoteFetcher,
                            progress: ProgressReporter) throws -> [(String, Data)] {
        switch source.kind {
        case let .synthetic(settings):
            let spec = CorpusSpec(count: settings.n, seed: settings.seed, frenchShare: settings.frenchShare,
                                  surfaceVariety: settings.surfaceVariety, extendedCatalog: settings.extendedCatalog)
            let corpus = CorpusGenerator(spec: spec).generate { done in
                progress.report(done: done, total: settings.n, message: "generating \(source.name)")
            }
            let files = CorpusFormats.files(for: corpus, seed: settings.seed)
            for (path, data) in files { try AtomicOutput.write(data, to: dir.appendingPathComponent(path)) }
            return files
        case let .url(text):
            guard let url = URL(string: text), url.scheme != nil else {
                throw StageError(.badParams, "source '\(source.name)': '\(text)' is not a URL",
                                 fix: "write a full file://, http:// or https:// URL")
            }
            let name = source.file ?? (url.lastPathComponent.isEmpty ? "download" : url.lastPathComponent)
            let target = dir.appendingPathComponent(name)
            try fetcher.fetch(url, to: target, expected: source.checksum)
            return [(name, try Data(contentsOf: target))]
        case let .local(path):
            let url = context.resolve(path)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw StageError(.badInput, "source '\(source.name)': \(url.path) does not exist",
                                 fix: "correct `local:` in params.yaml (relative paths start at the repo root)")
            }
            if isDirectory.boolValue {
                guard source.checksum == nil else {
                    throw StageError(.badParams, "source '\(source.name)': a checksum applies to a file, not a directory")
                }
                return try copyTree(url, into: dir)
            }
            let name = source.file ?? url.lastPathComponent
            try fetcher.fetch(url, to: dir.appendingPathComponent(name), expected: source.checksum)
            return [(name, try Data(contentsOf: dir.appendingPathComponent(name)))]
        }
    }

    /// Copies every regular file under `root` (sorted, hidden files skipped) into `dir`.
    static func copyTree(_ root: URL, into dir: URL) throws -> [(String, Data)] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else {
            throw StageError(.badInput, "cannot list \(root.path)")
        }
        var paths: [String] = []
        while let next = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = root.appendingPathComponent(next)
            if next.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
            if FileManager.default.fileExists(atPath: full.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                paths.append(next)
            }
        }
        var written: [(String, Data)] = []
        for path in paths.sorted() {
            let data = try Data(contentsOf: root.appendingPathComponent(path))
            try AtomicOutput.write(data, to: dir.appendingPathComponent(path))
            written.append((path, data))
        }
        return written
    }
}
