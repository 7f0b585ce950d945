import Foundation
import PipeBasics

/// Moving run-cache entries (`runs/ab/cdef…`) with `--run-cache`: an entry travels only after every object it
/// names (cached and `cache: false` outs alike), so an entry on either side can always be restored from.
extension RemoteTransfer {
    /// The remote key of run-cache entry `key`.
    static func runKey(_ key: ContentHash) -> String {
        RemoteObjectKey.runsPrefix + key.hex.prefix(2) + "/" + key.hex.dropFirst(2)
    }

    /// Items for the outs an entry names, so they go through the ordinary object transfer.
    static func items(of stage: LockedStage, key: ContentHash) -> [TransferSelection.Item] {
        stage.outs.map { TransferSelection.Item(stage: "run \(key.hex.prefix(8))", out: $0, remote: "", push: true,
                                               source: "run cache") }
    }

    /// Sends every usable local run-cache entry the remote lacks, after its objects.
    public func pushRunCache(_ runs: RunCache) async -> TransferReport {
        var report = TransferReport()
        let entries: [RunCache.Entry]
        do { entries = try runs.allEntries() } catch {
            report.failures.append(.init(object: "runs/", path: ".cache/runs", reason: "\(error)"))
            return report
        }
        let remoteRuns: Set<String>
        do { remoteRuns = Set(try await remote.list(prefix: RemoteObjectKey.runsPrefix).keys) } catch {
            report.failures.append(.init(object: "runs/", path: ".cache/runs", reason: error.message))
            return report
        }
        for entry in entries {
            guard let stage = entry.stage else { continue }
            let key = Self.runKey(entry.key)
            if remoteRuns.contains(key) { report.alreadyPresent += 1; continue }
            let objects = await push(Self.items(of: stage, key: entry.key))
            report.merge(objects)
            guard objects.failures.isEmpty, objects.missing.isEmpty else { continue }
            let path = runs.url(entry.key).path
            do throws(RemoteError) {
                try await remote.upload(file: path, size: (try? SystemCall.status(path))?.size ?? 0, to: key)
                report.transferred += 1
            } catch {
                report.failures.append(.init(object: key, path: ".cache/" + key, reason: error.message))
            }
        }
        return report
    }

    /// Downloads the remote's run-cache entries `.cache/runs` lacks, each after its objects arrived and verified.
    public func fetchRunCache(_ runs: RunCache) async -> TransferReport {
        var report = TransferReport()
        let keys: [String]
        do { keys = try await remote.list(prefix: RemoteObjectKey.runsPrefix).keys.sorted() } catch {
            report.failures.append(.init(object: "runs/", path: ".cache/runs", reason: error.message))
            return report
        }
        for key in keys {
            let hex = key.dropFirst(RemoteObjectKey.runsPrefix.count).split(separator: "/").joined()
            guard let hash = ContentHash(hex: hex), hash.hex == hex else { continue }
            report.merge(await fetchRunEntry(hash, into: runs))
        }
        return report
    }

    /// Downloads run-cache entry `hash` and the objects it names, the entry last (so `.cache/runs` never names an
    /// object it lacks); an entry the remote does not hold is reported in `missing`, not as a failure.
    public func fetchRunEntry(_ hash: ContentHash, into runs: RunCache) async -> TransferReport {
        var report = TransferReport()
        let key = Self.runKey(hash)
        let destination = runs.url(hash)
        if FileManager.default.fileExists(atPath: destination.path) {
            report.alreadyPresent += 1
            return report
        }
        do throws(PipeError) {
            let staged = try store.stagingPath(for: ObjectStore.ObjectID(hash: hash, isDirectory: false))
            defer { SystemCall.removeFileIfPresent(staged) }
            do throws(RemoteError) { try await remote.download(key, to: staged) } catch {
                if error.kind == .notFound { report.missing.append(".cache/" + key) } else {
                    report.failures.append(.init(object: key, path: ".cache/" + key, reason: error.message))
                }
                return report
            }
            guard let data = FileManager.default.contents(atPath: staged), let stage = RunCache.parse(data) else {
                report.failures.append(.init(object: key, path: ".cache/" + key, reason: "not a run-cache entry"))
                return report
            }
            let objects = await fetch(Self.items(of: stage, key: hash))
            report.merge(objects)
            guard objects.failures.isEmpty, objects.missing.isEmpty else { return report }
            do {
                try SystemCall.makeDirectories(destination.deletingLastPathComponent().path)
                try SystemCall.rename(staged, destination.path)
            } catch {
                throw PipeError.io("cannot store run-cache entry", path: destination.path, underlying: error)
            }
            report.transferred += 1
        } catch {
            report.failures.append(.init(object: key, path: ".cache/" + key, reason: error.message))
        }
        return report
    }
}
