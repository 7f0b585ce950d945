import Foundation

/// Replaces detected personal data with typed placeholders (`[NAME]`, `[PHONE]`…), deterministically.
public struct Anonymizer: Sendable {
    /// One anonymised text with what was replaced (spans in the original text).
    public struct Output: Sendable, Equatable {
        public var text: String
        public var spans: [PersonalDataSpan]
    }

    /// Finds the spans to replace.
    public let detector = PersonalDataDetector()

    public init() {}

    /// The text with each detected span replaced by its kind's placeholder.
    public func anonymize(_ text: String) -> Output {
        let spans = detector.detect(text)
        let ns = text as NSString
        var out = ""
        var cursor = 0
        for span in spans {
            out += ns.substring(with: NSRange(location: cursor, length: span.range.location - cursor))
            out += span.kind.placeholder
            cursor = span.range.location + span.range.length
        }
        out += ns.substring(from: cursor)
        return Output(text: out, spans: spans)
    }
}
