/// The classes of Unicode scalars that the pre-tokenizer patterns tell apart.
///
/// `\p{L}` is `letter`, `\p{N}` is `number`, `\s` is `whitespace` or `newline` (`\r` and `\n` are split out
/// because the patterns treat them specially), and everything else is `other`. White space follows the Unicode
/// White_Space property, which is what Oniguruma's and Rust regex's `\s` match.
enum ScalarClass: UInt8 {
    case letter, number, whitespace, newline, other

    /// The class of a scalar value (valid scalars only; surrogates never occur in decoded UTF-8).
    @inline(__always)
    static func of(_ value: UInt32) -> ScalarClass { ScalarClassTable.shared.of(value) }

    /// The class from the Unicode properties (the slow path, and what the table is filled from).
    static func classify(_ value: UInt32) -> ScalarClass {
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

/// The classes of the Basic Multilingual Plane, computed once into an immortal 64 KiB buffer, so the scanners'
/// inner loops do one load per scalar (they fetch `shared` once per call rather than once per scalar).
struct ScalarClassTable: @unchecked Sendable {
    private let basic: UnsafePointer<ScalarClass>

    /// The table, built on first use and never freed.
    static let shared: ScalarClassTable = {
        let buffer = UnsafeMutablePointer<ScalarClass>.allocate(capacity: 0x10000)
        for value in 0..<0x10000 { (buffer + value).initialize(to: ScalarClass.classify(UInt32(value))) }
        return ScalarClassTable(basic: UnsafePointer(buffer))
    }()

    /// The class of a scalar value.
    @inline(__always)
    func of(_ value: UInt32) -> ScalarClass { value < 0x10000 ? basic[Int(value)] : ScalarClass.classify(value) }
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
