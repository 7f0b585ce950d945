import Foundation

/// The normalizer of a tokenizer: Unicode NFC, or nothing.
public enum TextNormalizer: Sendable, Equatable {
    /// Text is encoded as given.
    case none
    /// Text is put in Normalization Form C first (Qwen's normalizer, and the one trained tokenizers declare).
    case nfc

    /// The normalized text. Text made only of NFC-inert scalars (see `isNFCInert`) is already NFC whatever their
    /// order, so it is returned untouched; the rest goes through ICU (`ICUNormalizer`).
    public func apply(_ text: String) -> String {
        guard self == .nfc else { return text }
        var inert = true
        for unit in text.utf8 where unit >= 0xCC {  // a lead byte of U+0300 or above: look at the scalars
            inert = text.unicodeScalars.allSatisfy { Self.isNFCInert($0.value) }
            break
        }
        return inert ? text : ICUNormalizer.nfc(text)
    }

    /// Scalars that NFC leaves alone in any context: below U+0300 (no combining marks, no singletons), and blocks
    /// with combining class 0, no singleton or excluded decomposition, and never the second member of a canonical
    /// composition (punctuation, symbols, kana, CJK, Hangul syllables, variation selectors, fullwidth forms,
    /// emoji). A test checks each of them against Foundation's tables.
    @inline(__always)
    static func isNFCInert(_ v: UInt32) -> Bool {
        switch v {
        case 0..<0x300, 0x2002...0x206F, 0x2070...0x209F, 0x20A0...0x20CF, 0x2190...0x22FF, 0x2460...0x27BF,
             0x3000...0x3029, 0x3030...0x303F, 0x3041...0x3096, 0x30A1...0x30FA, 0x4E00...0x9FFF, 0xAC00...0xD7A3,
             0xFE00...0xFE0F, 0xFF01...0xFF5E, 0x1F000...0x1FAFF:
            return true
        default:
            return false
        }
    }
}
