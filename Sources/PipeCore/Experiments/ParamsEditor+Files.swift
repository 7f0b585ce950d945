import Foundation

extension ParamsEditor {
    /// Applies `overrides` to the params files under `repoRoot`: every file is edited in memory first, so an
    /// unknown key or bad value leaves every file unchanged; then each changed file is written atomically.
    ///
    /// - Returns: the overrides with their file paths normalised, the paths of the files rewritten and their
    ///   previous texts (for `restore`).
    /// - Throws: `.missingParamsFile`, `.pathEscapesRepo`, `.unknownKey`, `.invalidValue` or `.yamlSyntax`.
    @discardableResult
    public static func apply(_ overrides: [ParamsOverride], repoRoot: URL) throws -> (overrides: [ParamsOverride], changed: [String], previous: [String: String]) {
        var normalised: [ParamsOverride] = []
        for o in overrides {
            var n = o
            n.file = try RepoPath.resolve(o.file, in: ".", location: nil, keyPath: "-S \(o.file):\(o.key)")
            normalised.append(n)
        }
        var editors: [String: ParamsEditor] = [:]
        var order: [String] = []
        for o in normalised where editors[o.file] == nil {
            let url = repoRoot.appendingPathComponent(o.file)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: url.path) else {
                throw PipeError(.missingParamsFile, "params file '\(o.file)' does not exist (from -S \(o.file):\(o.key)=…)",
                                fix: "name an existing params file: -S file.yaml:key=value, or -S key=value for params.yaml")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw PipeError(.invalidValue, "params file '\(o.file)' is not UTF-8 text", fix: "save \(o.file) as UTF-8")
            }
            editors[o.file] = ParamsEditor(text: text, file: o.file)
            order.append(o.file)
        }
        var originals: [String: String] = [:]
        for file in order {
            originals[file] = editors[file]!.text
            try editors[file]!.apply(normalised)
        }
        var changed: [String] = []
        for file in order where editors[file]!.text != originals[file] {
            try AtomicFile.write(Data(editors[file]!.text.utf8), to: repoRoot.appendingPathComponent(file))
            changed.append(file)
        }
        return (normalised, changed, originals.filter { changed.contains($0.key) })
    }

    /// Puts back texts returned by `apply` (each atomically), when what follows the edit fails.
    public static func restore(_ previous: [String: String], repoRoot: URL) throws {
        for (path, text) in previous.sorted(by: { $0.key < $1.key }) {
            try AtomicFile.write(Data(text.utf8), to: repoRoot.appendingPathComponent(path))
        }
    }
}
