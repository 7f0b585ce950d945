/// Learns a byte-level BPE from text, the way Hugging Face's `BpeTrainer` does, and returns a `Tokenizer` whose
/// `tokenizer.json` HF `tokenizers` loads and encodes identically.
///
/// The algorithm, and its determinism:
/// - Texts are NFC-normalized and split by the Qwen pre-tokenizer; each distinct piece (a "word") is counted.
///   Special-token text inside the corpus is not singled out, as in HF training.
/// - Ids: the special tokens first (in the order given), then the 256 byte-level alphabet symbols sorted by code
///   point, then one id per merge.
/// - Each round merges the adjacent pair with the highest count summed over words (weighted by word count);
///   ties go to the smallest (left id, right id) pair. This is HF's priority-queue order, so for the same corpus
///   and settings the merges match HF's (a test checks). A pair whose count falls below `minimumFrequency` ends
///   training, as does reaching `vocabularySize`.
/// - A pair is merged at most once: a stale queue entry for a pair already merged is dropped (HF can list such a
///   merge twice in the rare case where two merges spell the same string; here the second is skipped).
public struct BytePairTrainer: Sendable {
    /// The target vocabulary size, special tokens and the 256 byte symbols included.
    public var vocabularySize: Int
    /// Tokens added before the alphabet, with ids 0, 1, …, and registered as special added tokens.
    public var specialTokens: [String]
    /// Pairs seen fewer times than this are never merged.
    public var minimumFrequency: Int

    /// A trainer for `vocabularySize` tokens.
    public init(vocabularySize: Int, specialTokens: [String] = [], minimumFrequency: Int = 2) {
        self.vocabularySize = vocabularySize
        self.specialTokens = specialTokens
        self.minimumFrequency = minimumFrequency
    }

    /// Trains on `texts`; `progress` is called after each batch of merges with (merges done, merges wanted).
    public func train<S: Sequence>(on texts: S, progress: (Int, Int) -> Void = { _, _ in }) throws -> Tokenizer
    where S.Element == String {
        var specials: [String] = []
        for token in specialTokens where !specials.contains(token) { specials.append(token) }
        let minimum = specials.count + 256
        guard vocabularySize >= minimum else {
            throw TokenizerError.vocabularyTooSmall(requested: vocabularySize, minimum: minimum)
        }
        let counts = WordCounter.count(texts)

        // Ids: specials, then the alphabet sorted by code point.
        var idToToken: [String] = specials
        var tokenToID: [String: UInt32] = [:]
        for (i, s) in specials.enumerated() { tokenToID[s] = UInt32(i) }
        var byteID = [UInt32](repeating: 0, count: 256)
        let alphabet = (0..<256).sorted { ByteLevelAlphabet.scalarForByte[$0].value < ByteLevelAlphabet.scalarForByte[$1].value }
        for byte in alphabet {
            let symbol = String(ByteLevelAlphabet.scalarForByte[byte])
            if let existing = tokenToID[symbol] {
                byteID[byte] = existing
            } else {
                byteID[byte] = UInt32(idToToken.count)
                tokenToID[symbol] = byteID[byte]
                idToToken.append(symbol)
            }
        }

        var state = MergeState(words: counts.words.map { $0.map { byteID[Int($0)] } }, counts: counts.counts)
        var merges: [(String, String)] = []
        let wanted = vocabularySize - idToToken.count
        progress(0, wanted)
        while idToToken.count < vocabularySize, let (pair, count) = state.popBest() {
            if count < max(1, minimumFrequency) { break }
            let left = idToToken[Int(pair.left)], right = idToToken[Int(pair.right)]
            let newToken = left + right
            let newID: UInt32
            if let existing = tokenToID[newToken] {
                newID = existing
            } else {
                newID = UInt32(idToToken.count)
                tokenToID[newToken] = newID
                idToToken.append(newToken)
            }
            merges.append((left, right))
            state.merge(pair, into: newID)
            if merges.count % 256 == 0 { progress(merges.count, wanted) }
        }
        progress(merges.count, wanted)

        let vocabulary = Dictionary(uniqueKeysWithValues: idToToken.enumerated().map { ($0.element, $0.offset) })
        let model = try BytePairModel(vocabulary: vocabulary, merges: merges)
        let added = specials.enumerated().map { AddedToken(id: $0.offset, content: $0.element) }
        return Tokenizer(model: model, addedTokens: added, normalizer: .nfc, preTokenizer: .qwen)
    }
}

/// Counts the distinct pre-tokenized pieces of a corpus, keeping first-seen order so training is deterministic.
enum WordCounter {
    static func count<S: Sequence>(_ texts: S) -> (words: [[UInt8]], counts: [Int]) where S.Element == String {
        var index: [[UInt8]: Int] = [:]
        var words: [[UInt8]] = []
        var counts: [Int] = []
        var ends: [Int] = []
        for text in texts {
            var normalized = TextNormalizer.nfc.apply(text)
            normalized.withUTF8 { b in
                ends.removeAll(keepingCapacity: true)
                PatternScanner.scanQwen(b, from: 0, to: b.count, into: &ends)
                var lower = 0
                for upper in ends {
                    let word = Array(b[lower..<upper])
                    lower = upper
                    if let i = index[word] {
                        counts[i] += 1
                    } else {
                        index[word] = words.count
                        words.append(word)
                        counts.append(1)
                    }
                }
            }
        }
        return (words, counts)
    }
}
