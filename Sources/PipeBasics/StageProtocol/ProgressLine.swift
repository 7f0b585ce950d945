import Foundation

/// One progress report a stage writes on stderr and the engine parses:
/// `pipe:progress {"done":N,"total":M,"message":"..."}`, a prefix and one compact JSON object, so people can read
/// it too. Encoding and parsing live together so the two sides cannot drift.
public struct ProgressLine: Sendable, Equatable {
    /// The marker every progress line starts with (a space follows it).
    public static let prefix = "pipe:progress "

    /// Units done so far.
    public var done: Int
    /// Units in all (0 when unknown).
    public var total: Int
    /// A short human message (`rows`, `epoch 2`).
    public var message: String

    public init(done: Int, total: Int, message: String) {
        self.done = done
        self.total = total
        self.message = message
    }

    /// The exact text of the line, without the newline.
    public var text: String {
        Self.prefix + JSONValue.object([("done", .int(done)), ("total", .int(total)), ("message", .string(message))])
            .text(.compact)
    }

    /// Parses a line a stage wrote; nil for any line that is not a progress line (it is then ordinary output).
    /// Missing or mistyped fields read as 0 and "" so a stage on an older format still shows something.
    public init?(parsing line: some StringProtocol) {
        guard line.hasPrefix(Self.prefix) else { return nil }
        let json = line.dropFirst(Self.prefix.count)
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return nil
        }
        self.init(done: (object["done"] as? NSNumber)?.intValue ?? 0,
                  total: (object["total"] as? NSNumber)?.intValue ?? 0,
                  message: object["message"] as? String ?? "")
    }
}
