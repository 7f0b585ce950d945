import Foundation

/// The normalizer of a tokenizer: Unicode NFC, or nothing.
public enum TextNormalizer: Sendable, Equatable {
    /// Text is encoded as given.
    case none
    /// Text is put in Normalization Form C first (Qwen's normalizer, and the one trained tokenizers declare).
    case nfc

    /// The normalized text. Text whose scalars all lie below U+0300 is already NFC (no combining marks and no
    /// composition exclusions live there), so it is returned untouched without calling into Foundation.
    public func apply(_ text: String) -> String {
        guard self == .nfc else { return text }
        var needsWork = false
        for unit in text.utf8 where unit >= 0xCC {  // lead bytes of U+0300 and above
            needsWork = true
            break
        }
        return needsWork ? text.precomposedStringWithCanonicalMapping : text
    }
}
