/// The GPT-2 byte-level alphabet: a bijection between the 256 byte values and 256 printable Unicode scalars.
///
/// Byte-level BPE vocabularies (GPT-2, Qwen, Llama 3, and the ones `BytePairTrainer` writes) store tokens as
/// strings over this alphabet so that every byte, including spaces and control bytes, has a visible character:
/// printable Latin-1 bytes map to themselves, the other 68 bytes map to U+0100 onwards in byte order.
public enum ByteLevelAlphabet {
    /// The scalar that stands for each byte value, indexed by byte.
    public static let scalarForByte: [Unicode.Scalar] = {
        var printable = [Bool](repeating: false, count: 256)
        for b in 33...126 { printable[b] = true }
        for b in 161...172 { printable[b] = true }
        for b in 174...255 { printable[b] = true }
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if printable[b] {
                table[b] = Unicode.Scalar(UInt8(b))
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte each alphabet scalar stands for, keyed by scalar value.
    public static let byteForScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (b, s) in scalarForByte.enumerated() { map[s.value] = UInt8(b) }
        return map
    }()

    /// Maps raw bytes to their alphabet string (what appears in a `tokenizer.json` vocabulary).
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for b in bytes { scalars.append(scalarForByte[Int(b)]) }
        return String(scalars)
    }

    /// Maps an alphabet string back to raw bytes; `nil` when a scalar lies outside the alphabet.
    public static func decode(_ string: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.unicodeScalars.count)
        for s in string.unicodeScalars {
            guard let b = byteForScalar[s.value] else { return nil }
            bytes.append(b)
        }
        return bytes
    }

    /// Decodes a token string the way HF's ByteLevel decoder does: alphabet scalars become their byte, any other
    /// scalar (an added token's literal text) keeps its own UTF-8 encoding.
    public static func decodeLeniently(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for s in string.unicodeScalars {
            if let b = byteForScalar[s.value] { bytes.append(b) } else { bytes.append(contentsOf: Array(String(s).utf8)) }
        }
        return bytes
    }
}
