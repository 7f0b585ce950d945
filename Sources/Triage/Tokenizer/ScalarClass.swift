/// The classes of Unicode scalars that the pre-tokenizer patterns tell apart.
///
/// `\p{L}` is `letter`, `\p{N}` is `number`, `\s` is `whitespace` or `newline` (`\r` and `\n` are split out
/// because the patterns treat them specially), and everything else is `other`. White space follows the Unicode
/// White_Space property, which is what Oniguruma's and Rust regex's `\s` match.
enum ScalarClass: UInt8 {
    case letter, number, whitespace, newline, other

    /// Classes of the Basic Multilingual Plane, computed once: 64 KiB that spares a property lookup per scalar.
    private static let basicPlane: [ScalarClass] = (0..<0x10000).map { classify(UInt32($0)) }

    /// The class of a scalar value (valid scalars only; surrogates never occur in decoded UTF-8).
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass {
        value < 0x10000 ? basicPlane[Int(value)] : classify(value)
    }

    private static func classify(_ value: UInt32) -> ScalarClass {
        if value == 0x0A || value == 0x0D { return .newline }
        guard let scalar = Unicode.Scalar(value) else { return .other }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return .letter
        case .decimalNumber, .letterNumber, .otherNumber: return .number
        default: return .other
        }
    }
}

/// Decodes the scalar starting at `index` in valid UTF-8, returning its value and its length in bytes.
@inline(__always)
func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int) {
    let b0 = UInt32(bytes[index])
    if b0 < 0x80 { return (b0, 1) }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
    if b0 < 0xF0 {
        return ((b0 & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
    }
    return ((b0 & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
                | UInt32(bytes[index + 3] & 0x3F), 4)
}
