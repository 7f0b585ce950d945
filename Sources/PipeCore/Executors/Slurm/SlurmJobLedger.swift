import Foundation
import PipeBasics

/// The Slurm jobs a `pipe repro` has in flight, in `.cache/slurm/jobs.json` (written atomically on every
/// submission and every end), so that after a `pipe` killed outright the next `pipe repro` finds its jobs and
/// cancels them before running anything: a stage never runs twice at once.
///
/// `{"schema":1,"jobs":[{"id":"12","stage":"train","run":"…","log":".cache/slurm/logs/train.log"}]}`.
public final class SlurmJobLedger: @unchecked Sendable {
    /// One recorded job.
    public struct Entry: Sendable, Equatable {
        public var id: String
        public var stage: String
        public var run: String
        public var log: String
    }

    /// The ledger file.
    public let url: URL
    private let lock = NSLock()
    private var entries: [Entry] = []

    /// The ledger of the repository whose cache is `cacheRoot` (read from disk, empty when absent).
    public init(cacheRoot: URL) {
        url = cacheRoot.appendingPathComponent("slurm/jobs.json")
        entries = (try? Self.read(url)) ?? []
    }

    /// The jobs recorded now.
    public var recorded: [Entry] { lock.withLock { entries } }

    /// Records a submitted job.
    func add(_ entry: Entry) throws {
        try lock.withLock {
            entries.append(entry)
            try save()
        }
    }

    /// Drops a job that has ended.
    func remove(id: String) throws {
        try lock.withLock {
            entries.removeAll { $0.id == id }
            try save()
        }
    }

    /// Cancels every recorded job the controller still runs (left by a `pipe` killed outright), waits until
    /// none of them runs, and empties the ledger. Returns the jobs it cancelled.
    ///
    /// - Throws: when the controller cannot be asked, or a job is still running after `timeout` seconds.
    public func cancelLeftovers(control: any SlurmControl, timeout: TimeInterval = 60) throws -> [Entry] {
        let recorded = self.recorded
        guard !recorded.isEmpty else { return [] }
        let ids = recorded.map(\.id)
        let running = try control.statuses(of: ids).values.filter { !$0.state.isTerminal }.map(\.id)
        if !running.isEmpty {
            try control.cancel(running)
            let deadline = Date().addingTimeInterval(timeout)
            var interval = 0.1
            while try control.statuses(of: running).values.contains(where: { !$0.state.isTerminal }) {
                guard Date() < deadline else {
                    throw PipeError(.stageFailed, "Slurm jobs \(running.joined(separator: ", ")) left by an earlier pipe repro are still running after scancel",
                                    fix: "wait for them to end (squeue), then run `pipe repro` again")
                }
                Thread.sleep(forTimeInterval: interval)
                interval = min(interval * 1.5, 1)
            }
        }
        try lock.withLock {
            entries.removeAll { ids.contains($0.id) }
            try save()
        }
        return recorded.filter { running.contains($0.id) }
    }

    private func save() throws {
        if entries.isEmpty {
            try? FileManager.default.removeItem(at: url)
            return
        }
        let list: [ParamValue] = entries.map {
            .dict([("id", .string($0.id)), ("stage", .string($0.stage)), ("run", .string($0.run)), ("log", .string($0.log))])
        }
        let root: ParamValue = .dict([("schema", .int(1)), ("jobs", .list(list))])
        try AtomicFile.write(Data((root.jsonText + "\n").utf8), to: url)
    }

    private static func read(_ url: URL) throws -> [Entry] {
        guard let data = FileManager.default.contents(atPath: url.path) else { return [] }
        let node = try JSONReader.parse(String(decoding: data, as: UTF8.self), file: url.path)
        guard case let .list(jobs)? = node.value.member("jobs") else { return [] }
        return jobs.compactMap { job in
            guard let id = job.member("id")?.interpolationText, let stage = job.member("stage")?.interpolationText
            else { return nil }
            return Entry(id: id, stage: stage, run: job.member("run")?.interpolationText ?? "",
                         log: job.member("log")?.interpolationText ?? "")
        }
    }
}
