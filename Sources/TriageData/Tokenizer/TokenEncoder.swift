/// Encodes many texts with one tokenizer, keeping a word cache and scratch buffers between calls.
///
/// Not thread-safe: give each thread its own encoder (the `Tokenizer` it wraps is shared freely).
public final class TokenEncoder {
    /// The tokenizer this encoder runs.
    public let tokenizer: Tokenizer
    /// The working state, moved out into a local for the duration of a call so the hot loops run on a local
    /// value (no exclusivity checks or reference counting on class storage per piece).
    private var state: PieceEncoder?

    /// An encoder for `tokenizer` whose cache admits up to `cacheEntries` distinct words.
    public init(_ tokenizer: Tokenizer, cacheEntries: Int = 65_536) {
        self.tokenizer = tokenizer
        state = PieceEncoder(model: tokenizer.model, preTokenizer: tokenizer.preTokenizer, cache: WordCache(maxEntries: cacheEntries))
    }

    /// Cache hits and misses so far.
    public var cacheStatistics: (hits: Int, misses: Int) { (state!.cache.hits, state!.cache.misses) }

    /// The ids of `text`.
    public func encode(_ text: String) -> [UInt32] {
        var output: [UInt32] = []
        encode(text, appendingTo: &output)
        return output
    }

    /// Appends the ids of `text` to `output`.
    public func encode(_ text: String, appendingTo output: inout [UInt32]) {
        var core = state.take()!
        defer { state = core }
        let tokenizer = self.tokenizer
        if tokenizer.rawMatcher.isEmpty {
            encodeNormalizing(text, core: &core, into: &output)
            return
        }
        var text = text
        text.withUTF8 { b in
            var position = 0
            for match in tokenizer.rawMatcher.matches(in: b, from: 0, to: b.count) {
                if match.range.lowerBound > position {
                    encodeNormalizing(Self.string(b, position..<match.range.lowerBound), core: &core, into: &output)
                }
                output.append(match.id)
                position = match.range.upperBound
            }
            if position < b.count { encodeNormalizing(Self.string(b, position..<b.count), core: &core, into: &output) }
        }
    }

    private static func string(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self)
    }

    private func encodeNormalizing(_ segment: String, core: inout PieceEncoder, into output: inout [UInt32]) {
        var normalized = tokenizer.normalizer.apply(segment)
        let matcher = tokenizer.normalizedMatcher
        normalized.withUTF8 { b in
            if matcher.isEmpty {
                core.encodeSegment(b, from: 0, to: b.count, into: &output)
                return
            }
            var position = 0
            for match in matcher.matches(in: b, from: 0, to: b.count) {
                core.encodeSegment(b, from: position, to: match.range.lowerBound, into: &output)
                output.append(match.id)
                position = match.range.upperBound
            }
            core.encodeSegment(b, from: position, to: b.count, into: &output)
        }
    }
}

/// The inner loops of `TokenEncoder`: pre-tokenize a normalized segment and BPE-encode its pieces through the
/// word cache.
struct PieceEncoder {
    let model: BytePairModel
    let preTokenizer: PreTokenizer
    var cache: WordCache
    private var ends: [Int] = []
    private var scratch: [UInt32] = []
    private var pieceBuffer: [UInt8] = []

    init(model: BytePairModel, preTokenizer: PreTokenizer, cache: WordCache) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.cache = cache
    }

    /// Appends the ids of the normalized bytes `b[start..<end]` (no added tokens inside) to `output`.
    mutating func encodeSegment(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into output: inout [UInt32]) {
        guard start < end else { return }
        if preTokenizer.isByteLevelRegex && preTokenizer.addPrefixSpace && b[start] != 0x20 {
            // ByteLevel(use_regex) prefixes the whole segment, then splits it.
            var prefixed: [UInt8] = [0x20]
            prefixed.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<end]))
            prefixed.withUnsafeBufferPointer { encodeSplit($0, from: 0, to: $0.count, prefixEachPiece: false, into: &output) }
            return
        }
        encodeSplit(b, from: start, to: end, prefixEachPiece: preTokenizer.addPrefixSpace && !preTokenizer.isByteLevelRegex,
                    into: &output)
    }

    private mutating func encodeSplit(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, prefixEachPiece: Bool,
                                      into output: inout [UInt32]) {
        ends.removeAll(keepingCapacity: true)
        preTokenizer.split(b, from: start, to: end, into: &ends)
        var lower = start
        for k in 0..<ends.count {
            let upper = ends[k]
            if prefixEachPiece && b[lower] != 0x20 {
                pieceBuffer.removeAll(keepingCapacity: true)
                pieceBuffer.append(0x20)
                pieceBuffer.append(contentsOf: UnsafeBufferPointer(rebasing: b[lower..<upper]))
                let piece = pieceBuffer
                piece.withUnsafeBufferPointer { encodePiece($0, into: &output) }
            } else {
                encodePiece(UnsafeBufferPointer(rebasing: b[lower..<upper]), into: &output)
            }
            lower = upper
        }
    }

    @inline(__always)
    private mutating func encodePiece(_ piece: UnsafeBufferPointer<UInt8>, into output: inout [UInt32]) {
        if piece.count == 1 {
            output.append(model.byteIDs[Int(piece[0])])
            return
        }
        let h = WordCache.hash(piece)
        if cache.lookup(piece, hash: h, appendingTo: &output) { return }
        let before = output.count
        model.encode(piece, into: &output, scratch: &scratch)
        cache.insert(piece, hash: h, ids: output[before...])
    }
}
