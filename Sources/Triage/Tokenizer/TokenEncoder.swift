/// Encodes many texts with one tokenizer, keeping a word cache and scratch buffers between calls.
///
/// Not thread-safe: give each thread its own encoder (the `Tokenizer` it wraps is shared freely).
public final class TokenEncoder {
    /// The tokenizer this encoder runs.
    public let tokenizer: Tokenizer
    private var cache: WordCache
    private var ends: [Int] = []
    private var scratch: [UInt32] = []
    private var pieceBuffer: [UInt8] = []

    /// An encoder for `tokenizer` whose cache admits up to `cacheEntries` distinct words.
    public init(_ tokenizer: Tokenizer, cacheEntries: Int = 65_536) {
        self.tokenizer = tokenizer
        cache = WordCache(maxEntries: cacheEntries)
    }

    /// Cache hits and misses so far.
    public var cacheStatistics: (hits: Int, misses: Int) { (cache.hits, cache.misses) }

    /// The ids of `text`.
    public func encode(_ text: String) -> [UInt32] {
        var output: [UInt32] = []
        encode(text, appendingTo: &output)
        return output
    }

    /// Appends the ids of `text` to `output`.
    public func encode(_ text: String, appendingTo output: inout [UInt32]) {
        let tokenizer = self.tokenizer
        if tokenizer.rawMatcher.isEmpty {
            encodeNormalizing(Substring(text), into: &output)
            return
        }
        var text = text
        text.withUTF8 { b in
            var position = 0
            for match in tokenizer.rawMatcher.matches(in: b, from: 0, to: b.count) {
                if match.range.lowerBound > position {
                    encodeNormalizing(Self.substring(b, position..<match.range.lowerBound), into: &output)
                }
                output.append(match.id)
                position = match.range.upperBound
            }
            if position < b.count { encodeNormalizing(Self.substring(b, position..<b.count), into: &output) }
        }
    }

    private static func substring(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Substring {
        Substring(String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self))
    }

    private func encodeNormalizing(_ segment: Substring, into output: inout [UInt32]) {
        var normalized = tokenizer.normalizer.apply(String(segment))
        normalized.withUTF8 { b in
            if tokenizer.normalizedMatcher.isEmpty {
                encodePieces(b, from: 0, to: b.count, into: &output)
                return
            }
            var position = 0
            for match in tokenizer.normalizedMatcher.matches(in: b, from: 0, to: b.count) {
                encodePieces(b, from: position, to: match.range.lowerBound, into: &output)
                output.append(match.id)
                position = match.range.upperBound
            }
            encodePieces(b, from: position, to: b.count, into: &output)
        }
    }

    private func encodePieces(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into output: inout [UInt32]) {
        guard start < end else { return }
        let preTokenizer = tokenizer.preTokenizer
        if preTokenizer.isByteLevelRegex && preTokenizer.addPrefixSpace && b[start] != 0x20 {
            // ByteLevel(use_regex) prefixes the whole segment, then splits it.
            var prefixed: [UInt8] = [0x20]
            prefixed.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<end]))
            prefixed.withUnsafeBufferPointer { encodePieces($0, from: 0, to: $0.count, into: &output) }
            return
        }
        ends.removeAll(keepingCapacity: true)
        tokenizer.preTokenizer.split(b, from: start, to: end, into: &ends)
        var lower = start
        for upper in ends {
            if preTokenizer.addPrefixSpace && !preTokenizer.isByteLevelRegex && b[lower] != 0x20 {
                pieceBuffer.removeAll(keepingCapacity: true)
                pieceBuffer.append(0x20)
                pieceBuffer.append(contentsOf: UnsafeBufferPointer(rebasing: b[lower..<upper]))
                pieceBuffer.withUnsafeBufferPointer { encodePiece($0, into: &output) }
            } else {
                encodePiece(UnsafeBufferPointer(rebasing: b[lower..<upper]), into: &output)
            }
            lower = upper
        }
    }

    @inline(__always)
    private func encodePiece(_ piece: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
        if piece.count == 1 {
            output.append(tokenizer.model.byteIDs[Int(piece[0])])
            return
        }
        let h = WordCache.hash(piece)
        if cache.lookup(piece, hash: h, appendingTo: &output) { return }
        let before = output.count
        tokenizer.model.encode(piece, into: &output, scratch: &scratch)
        cache.insert(piece, hash: h, ids: output[before...])
    }
}
