import Foundation

/// Keeps cached outputs out of git: adds `/name` to the `.gitignore` in each output's parent directory
/// (DVC's convention), so the entry moves with the directory and never matches elsewhere.
///
/// Idempotent (a line already present is not added again), keeps existing content and order, and writes
/// atomically; a `.gitignore` that needs no change is not rewritten.
public enum GitIgnoreUpdater {
    /// Ensures every repo-relative path in `paths` is ignored by git; returns the `.gitignore` files changed
    /// (repo-relative).
    @discardableResult
    public static func ignore(_ paths: [String], repoRoot: URL) throws -> [String] {
        var linesByDirectory: [String: [String]] = [:]
        for path in paths {
            let parts = path.split(separator: "/").filter { $0 != "." }.map(String.init)
            guard let name = parts.last else { continue }
            if parts.contains("..") {
                throw PipeError(.pathEscapesRepo, "cannot add \(path.debugDescription) to .gitignore: it is outside the repository",
                                fix: "use a path relative to the repository root")
            }
            let directory = parts.dropLast().joined(separator: "/")
            let line = "/" + escape(name)
            if !(linesByDirectory[directory]?.contains(line) ?? false) { linesByDirectory[directory, default: []].append(line) }
        }
        var changed: [String] = []
        for directory in linesByDirectory.keys.sorted() {
            let relative = directory.isEmpty ? ".gitignore" : directory + "/.gitignore"
            let url = repoRoot.appendingPathComponent(relative)
            let existing = FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let present = Set(existing.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) })
            let missing = linesByDirectory[directory]!.filter { !present.contains($0) }
            guard !missing.isEmpty else { continue }
            var text = existing
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += missing.joined(separator: "\n") + "\n"
            try AtomicFile.write(Data(text.utf8), to: url)
            changed.append(relative)
        }
        return changed
    }

    /// Escapes glob characters and a trailing space so the line matches `name` literally.
    static func escape(_ name: String) -> String {
        var out = ""
        for c in name {
            if "*?[\\".contains(c) { out.append("\\") }
            out.append(c)
        }
        if out.hasSuffix(" ") { out.removeLast(); out += "\\ " }
        return out
    }
}
