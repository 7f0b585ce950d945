import Foundation

extension ReproEvent {
    /// The event for a line a stage wrote: `.progress` for a StageKit progress line on stderr, else `.output`.
    static func stageLine(_ line: String, isStderr: Bool, stage: String) -> ReproEvent {
        if isStderr, let p = progress(line) {
            return .progress(stage: stage, done: p.done, total: p.total, message: p.message)
        }
        return .output(stage: stage, line: line, isStderr: isStderr)
    }

    /// Parses `pipe:progress {"done":N,"total":M,"message":"..."}`.
    static func progress(_ line: String) -> (done: Int, total: Int, message: String)? {
        guard line.hasPrefix("pipe:progress ") else { return nil }
        let json = line.dropFirst("pipe:progress ".count)
        guard let obj = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return nil }
        return ((obj["done"] as? NSNumber)?.intValue ?? 0, (obj["total"] as? NSNumber)?.intValue ?? 0,
                obj["message"] as? String ?? "")
    }
}
