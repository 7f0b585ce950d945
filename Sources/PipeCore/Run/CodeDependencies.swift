import Foundation
import PipeBasics

/// Finds the implicit code dependencies of plugin stages: the plugin's own source directory and those of every
/// library target it links, transitively, read from `swift package describe --type json`.
///
/// The description is cached under `.cache/code-deps.json`, keyed by the XXH3-128 of Package.swift, so a no-op
/// `pipe status` does not pay for a SwiftPM invocation.
public struct CodeDependencies: Sendable {
    /// Source directories (repo-relative) by target name, and each target's direct target dependencies.
    public var targets: [String: Target]

    public struct Target: Sendable, Codable, Equatable {
        public var path: String
        public var dependencies: [String]
    }

    public init(targets: [String: Target]) { self.targets = targets }

    /// The source directories a plugin executable is built from, sorted: its own and every linked target's.
    public func sourceDirectories(ofPlugin name: String) -> [String] {
        guard targets[name] != nil else { return [] }
        var seen: Set<String> = []
        var stack = [name]
        while let t = stack.popLast() {
            guard seen.insert(t).inserted, let target = targets[t] else { continue }
            stack += target.dependencies
        }
        return seen.compactMap { targets[$0]?.path }.sorted()
    }

    /// Loads the package description for `repoRoot`, from the cache when Package.swift is unchanged.
    /// Returns an empty description when the repository has no Package.swift.
    public static func load(repoRoot: URL, cacheRoot: URL) throws -> CodeDependencies {
        let manifest = repoRoot.appendingPathComponent("Package.swift")
        guard let manifestData = FileManager.default.contents(atPath: manifest.path) else {
            return CodeDependencies(targets: [:])
        }
        let key = XXH3Hasher.hash(manifestData).hex
        let cacheFile = cacheRoot.appendingPathComponent("code-deps.json")
        struct Cached: Codable { var manifest: String; var targets: [String: Target] }
        if let data = FileManager.default.contents(atPath: cacheFile.path),
           let cached = try? JSONDecoder().decode(Cached.self, from: data), cached.manifest == key {
            return CodeDependencies(targets: cached.targets)
        }
        let targets = try describe(repoRoot: repoRoot)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(Cached(manifest: key, targets: targets)) {
            try? FileManager.default.createDirectory(at: cacheRoot, withIntermediateDirectories: true)
            try? AtomicFile.write(data, to: cacheFile)
        }
        return CodeDependencies(targets: targets)
    }

    static func describe(repoRoot: URL) throws -> [String: Target] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift", "package", "--package-path", repoRoot.path, "describe", "--type", "json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PipeError(.io, "cannot run `swift package describe` to find the plugin stages' code",
                            fix: "put the Swift toolchain on PATH", cause: "\(error)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PipeError(.io, "`swift package describe` failed in \(repoRoot.path)",
                            fix: "run `swift package describe` to see why Package.swift does not load")
        }
        struct Description: Decodable {
            struct T: Decodable { var name: String; var path: String; var target_dependencies: [String]? }
            var targets: [T]
        }
        let description = try JSONDecoder().decode(Description.self, from: data)
        var result: [String: Target] = [:]
        for t in description.targets { result[t.name] = Target(path: t.path, dependencies: t.target_dependencies ?? []) }
        return result
    }
}
