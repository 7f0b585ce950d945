import Foundation

/// A record's rationale read as its opening verdict and the findings after it (`immediate: SpO2 86% < 90%`).
///
/// One parser for everyone who reads the verdict: clean drops records whose label disagrees with it, pretraining
/// keeps only the findings.
public struct TriageRationale: Sendable, Equatable {
    /// The urgency the rationale opens with (`immediate:`, any case and spacing), nil when it opens with none.
    public let verdict: TriageLabel?
    /// The text after the verdict, trimmed; the whole rationale, trimmed, when there is no verdict.
    public let findings: String

    /// Splits `text` at its first colon when what precedes it is a label word.
    public init(_ text: String) {
        if let colon = text.firstIndex(of: ":"),
           let label = TriageLabel(rawValue: text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()) {
            verdict = label
            findings = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        } else {
            verdict = nil
            findings = text.trimmingCharacters(in: .whitespaces)
        }
    }
}
