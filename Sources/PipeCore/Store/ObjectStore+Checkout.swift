import Foundation
import Glibc
import PipeBasics

/// Putting cached content back into the workspace.
extension ObjectStore {
    /// Options for `checkout`.
    public struct CheckoutOptions: Sendable {
        /// Link strategies in the order to try them.
        public var strategies: [LinkStrategy]
        /// Re-hash objects before using them (memoised per process); a corrupt object aborts the checkout.
        public var verify: Bool
        /// Test hook: fail after this many files were placed in the staging tree, to prove an interrupted
        /// checkout leaves the previous workspace content untouched.
        public var failAfterFiles: Int?
        /// Place independent, writable files (0644, 0755 executable) instead of read-only ones, never hard links:
        /// for uncached outputs restored by the run cache, which the user and the next run may write.
        public var writable: Bool

        /// Options; the defaults are what production uses.
        public init(strategies: [LinkStrategy] = LinkStrategy.defaultOrder, verify: Bool = true, failAfterFiles: Int? = nil,
                    writable: Bool = false) {
            self.strategies = strategies
            self.verify = verify
            self.failAfterFiles = failAfterFiles
            self.writable = writable
        }

        /// The linker these options ask for.
        var linker: FileLinker {
            guard writable else { return FileLinker(order: strategies) }
            let unlinked = strategies.filter { $0 != .hardlink }
            return FileLinker(order: unlinked.isEmpty ? [.copy] : unlinked, writable: true)
        }
    }

    /// What a checkout did: how many files each strategy placed.
    public struct CheckoutReport: Sendable, Equatable {
        /// Files placed by each strategy.
        public var filesByStrategy: [LinkStrategy: Int] = [:]
        /// Files placed in total.
        public var fileCount: Int { filesByStrategy.values.reduce(0, +) }
    }

    /// The error thrown at `CheckoutOptions.failAfterFiles`.
    public struct InjectedCheckoutFailure: Error, Equatable {}

    /// Replaces whatever is at `destination` with the cached content of `entry`.
    ///
    /// The new file or tree is built next to `destination` under a hidden temporary name and renamed into place
    /// (a directory is swapped with `renameat2(RENAME_EXCHANGE)` where available), so an interrupted checkout
    /// leaves the previous content. Files are read-only; directories stay writable. Objects are verified first
    /// (unless disabled) and a corrupt one throws `.cacheCorrupt` before anything in the workspace changes.
    @discardableResult
    public func checkout(_ entry: HashedEntry, to destination: URL,
                         options: CheckoutOptions = CheckoutOptions()) throws -> CheckoutReport {
        if entry.isDirectory {
            let manifest = try entry.manifest ?? self.manifest(for: entry.hash)
            return try checkoutDirectory(hash: entry.hash, manifest: manifest, to: destination, options: options)
        }
        return try checkoutFile(entry.hash, to: destination, options: options)
    }

    /// `checkout` of a hash as recorded in the lock file (a directory's manifest is read from the store).
    @discardableResult
    public func checkout(hash: ContentHash, isDirectory: Bool, to destination: URL,
                         options: CheckoutOptions = CheckoutOptions()) throws -> CheckoutReport {
        if isDirectory {
            return try checkoutDirectory(hash: hash, manifest: try manifest(for: hash), to: destination, options: options)
        }
        return try checkoutFile(hash, to: destination, options: options)
    }

    private func checkoutFile(_ hash: ContentHash, to destination: URL, options: CheckoutOptions) throws -> CheckoutReport {
        if options.verify { try requireValid(hash, isDirectory: false) }
        let object = objectPath(for: hash)
        guard FileManager.default.fileExists(atPath: object) else {
            throw PipeError.io("cached object is missing", path: object, fix: "rerun the stage (`pipe repro`)")
        }
        let parent = destination.deletingLastPathComponent().path
        try SystemCall.makeDirectories(parent)
        let staging = stagingPath(for: destination)
        defer { try? SystemCall.removeTree(staging) }
        var linker = options.linker
        let strategy = try linker.link(object: object, to: staging, executable: false)
        if options.failAfterFiles == 0 { throw InjectedCheckoutFailure() }
        try replace(destination.path, with: staging)
        return CheckoutReport(filesByStrategy: [strategy: 1])
    }

    private func checkoutDirectory(hash: ContentHash, manifest: DirectoryManifest, to destination: URL,
                                   options: CheckoutOptions) throws -> CheckoutReport {
        if options.verify { try requireValid(hash, isDirectory: true) }
        let parent = destination.deletingLastPathComponent().path
        try SystemCall.makeDirectories(parent)
        let staging = stagingPath(for: destination)
        defer { try? SystemCall.removeTree(staging) }
        try SystemCall.makeDirectories(staging)
        var linker = options.linker
        var report = CheckoutReport()
        var made = Set<String>()
        for file in manifest.entries {
            if let slash = file.path.lastIndex(of: "/") {
                let dir = staging + "/" + file.path[..<slash]
                if made.insert(dir).inserted { try SystemCall.makeDirectories(dir) }
            }
            if options.failAfterFiles == report.fileCount { throw InjectedCheckoutFailure() }
            let strategy = try linker.link(object: objectPath(for: file.hash), to: staging + "/" + file.path,
                                           executable: file.isExecutable)
            report.filesByStrategy[strategy, default: 0] += 1
        }
        if options.failAfterFiles == report.fileCount { throw InjectedCheckoutFailure() }
        try replace(destination.path, with: staging)
        return report
    }

    private func requireValid(_ hash: ContentHash, isDirectory: Bool) throws(PipeError) {
        switch verify(hash, isDirectory: isDirectory) {
        case .valid: return
        case .missing:
            throw PipeError(.cacheCorrupt, "cache object \(hash.hex)\(isDirectory ? ".dir" : "") is missing",
                            fix: "rerun the stage that produces it (`pipe repro`)")
        case let .corrupt(actual):
            throw PipeError(.cacheCorrupt, "cache object \(hash.hex) is corrupt: its content hashes to \(actual.hex); it was deleted",
                            fix: "rerun the stage that produces it (`pipe repro`)")
        case let .damagedDirectory(problems):
            throw PipeError(.cacheCorrupt, "cached directory \(hash.hex) is damaged: " + problems.joined(separator: "; "),
                            fix: "rerun the stage that produces it (`pipe repro`)")
        }
    }

    /// A hidden sibling of `destination` for building the new content.
    private func stagingPath(for destination: URL) -> String {
        SystemCall.temporarySibling(of: destination.path, label: "pipe-checkout")
    }

    /// Moves `staging` to `path`: a plain rename over a file or nothing; an exchange-then-delete over a directory
    /// (or over a file when the type changes), so `path` always holds either the old or the new content.
    private func replace(_ path: String, with staging: String) throws {
        let existing = try SystemCall.status(path, followSymlinks: false)
        let stagingIsDirectory = try SystemCall.status(staging, followSymlinks: false)?.isDirectory ?? false
        if let existing, existing.isDirectory || stagingIsDirectory {
            if SystemCall.exchange(staging, path) {
                try SystemCall.removeTree(staging)      // now holds the old content
                SystemCall.syncDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
                return
            }
            // no renameat2: move the old content aside first (a crash here leaves it beside, never lost)
            let aside = staging + ".old"
            try SystemCall.rename(path, aside)
            try SystemCall.rename(staging, path)
            try SystemCall.removeTree(aside)
        } else {
            try SystemCall.rename(staging, path)
        }
        SystemCall.syncDirectory(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
    }
}
