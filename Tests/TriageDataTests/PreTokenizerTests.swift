import Foundation
import Testing
@testable import TriageData

/// The hand-written pattern scanners, piece by piece, and against the regex engine on the golden corpus.
@Suite struct PreTokenizerTests {
    private func pieces(_ text: String, _ pre: PreTokenizer) -> [String] {
        var copy = text
        return copy.withUTF8 { b in
            var ends: [Int] = []
            pre.split(b, from: 0, to: b.count, into: &ends)
            var lower = 0
            return ends.map { upper in
                defer { lower = upper }
                return String(decoding: UnsafeBufferPointer(rebasing: b[lower..<upper]), as: UTF8.self)
            }
        }
    }

    @Test("the Qwen pattern splits words with their leading space, digits one by one, and line breaks apart")
    func qwenPieces() {
        #expect(pieces("Hello world", .qwen) == ["Hello", " world"])
        #expect(pieces("I'm 42!!\n\n  ok", .qwen) == ["I", "'m", " ", "4", "2", "!!\n\n", " ", " ok"])
        #expect(pieces("a  \n b", .qwen) == ["a", "  \n", " b"])
        #expect(pieces("x   ", .qwen) == ["x", "   "])
        #expect(pieces("l'HÔPITAL 'LL", .qwen) == ["l", "'HÔPITAL", " '", "LL"])
        #expect(pieces("café😀患者 😀", .qwen) == ["café", "😀患者", " 😀"])
    }

    @Test("the GPT-2 pattern keeps digit runs together and contractions case-sensitive")
    func gpt2Pieces() {
        let gpt2 = PreTokenizer.byteLevelWithRegex(addPrefixSpace: false)
        #expect(pieces("I'm 42!!\n\n  ok", gpt2) == ["I", "'m", " 42", "!!", "\n\n ", " ok"])
        #expect(pieces("DON'T", gpt2) == ["DON", "'", "T"])
    }

    @Test("each scanner splits the golden corpus exactly as the regex engine does with its pattern")
    func scannersMatchRegexEngine() throws {
        let texts = try TokenizerFixtures.golden("qwen-golden.jsonl").map(\.text)
        let regexGPT2 = try PreTokenizer.splitting(on: PatternScanner.gpt2Pattern + "|(?!)", addPrefixSpace: false,
                                                   path: "test", key: "pattern")
        let scannerGPT2 = PreTokenizer.byteLevelWithRegex(addPrefixSpace: false)
        var disagreements = 0
        for text in texts {
            let normalized = text.precomposedStringWithCanonicalMapping
            if pieces(normalized, scannerGPT2) != pieces(normalized, regexGPT2) {
                disagreements += 1
                if disagreements < 4 { Issue.record("GPT-2 split differs on \(normalized.debugDescription)") }
            }
        }
        #expect(disagreements == 0)
    }

    @Test("pieces always tile the text, whatever it holds")
    func piecesTile() throws {
        for text in try TokenizerFixtures.golden("qwen-golden.jsonl").map(\.text) {
            #expect(pieces(text, .qwen).joined() == text)
        }
    }

    @Test("every scalar the NFC fast path skips is one NFC leaves alone, and none ever composes with what precedes it")
    func nfcInertScalars() {
        let inert = (0..<0x20000).compactMap { v -> Unicode.Scalar? in
            guard TextNormalizer.isNFCInert(UInt32(v)), let s = Unicode.Scalar(UInt32(v)) else { return nil }
            return s
        }
        #expect(inert.count > 35_000)
        var bad: [UInt32] = []
        for s in inert where s.properties.canonicalCombiningClass != .notReordered
            || ICUNormalizer.nfc(String(s)).unicodeScalars.elementsEqual(String(s).unicodeScalars) == false {
            bad.append(s.value)
        }
        #expect(bad.isEmpty, "not NFC-inert: \(bad.prefix(10).map { String($0, radix: 16) })")
        // No inert scalar is a non-initial member of any canonical decomposition, so none can compose backwards.
        var trailers: [UInt32] = []
        for v in 0x00C0..<0x20000 {
            guard let s = Unicode.Scalar(UInt32(v)), s.properties.canonicalCombiningClass == .notReordered else { continue }
            let nfd = Array(String(s).decomposedStringWithCanonicalMapping.unicodeScalars)
            for t in nfd.dropFirst() where TextNormalizer.isNFCInert(t.value) && t.value >= 0x300 { trailers.append(t.value) }
        }
        #expect(trailers.isEmpty, "composition trailers marked inert: \(trailers.prefix(10).map { String($0, radix: 16) })")
        #expect(TextNormalizer.nfc.apply("e\u{301}") == "é")
        #expect(TextNormalizer.nfc.apply("患者😀 — x₂") == "患者😀 — x₂")
    }

    @Test("NFC goes through ICU, which keeps a supplementary letter and its combining mark apart where Foundation on Linux breaks them")
    func nfcThroughICU() {
        #if os(Linux)
        #expect(ICUNormalizer.isAvailable)
        #endif
        #expect(TextNormalizer.nfc.apply("\u{10061}\u{307}").unicodeScalars.map(\.value) == [0x10061, 0x307])
        #expect(TextNormalizer.nfc.apply("\u{11099}\u{110BA}").unicodeScalars.map(\.value) == [0x1109A])
        #expect(TextNormalizer.nfc.apply("\u{1D15E}").unicodeScalars.map(\.value) == [0x1D157, 0x1D165])
        #expect(TextNormalizer.nfc.apply("Cafe\u{301} cre\u{300}me") == "Café crème")
    }
}
