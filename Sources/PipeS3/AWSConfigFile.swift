import Foundation

/// The INI dialect of `~/.aws/credentials`: `[section]` headers, `key = value` lines, `#` and `;` comments.
enum AWSConfigFile {
    /// Sections by name, each a map of lowercase keys to trimmed values; a line that is neither is an error
    /// naming the file and line (never the line's text, which may hold a secret).
    static func parse(_ text: String, path: String) throws(S3Error) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                var name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if name.hasPrefix("profile ") { name = String(name.dropFirst("profile ".count)) }
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let equals = line.firstIndex(of: "="), let section = current else {
                throw .malformedCredentialsFile(path: path, line: index + 1)
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section]?[key] = value
        }
        return sections
    }
}
