import Testing
import PipeBasics

@Suite struct DidYouMeanTests {
    @Test("a close misspelling is suggested, a distant word is not")
    func closeAndFar() {
        #expect(DidYouMean.closest(to: "seeed", in: ["seed", "n", "sources"]) == "seed")
        #expect(DidYouMean.closest(to: "completely_different", in: ["seed", "n"]) == nil)
    }

    @Test("case is ignored when measuring but the candidate keeps its own spelling")
    func caseInsensitive() {
        #expect(DidYouMean.closest(to: "SEED", in: ["seed", "sources"]) == "seed")
        #expect(DidYouMean.closest(to: "trainlr", in: ["Train_LR", "eval"]) == "Train_LR")
    }

    @Test("ties go to the first candidate in sorted order, whatever order they were listed in")
    func ties() {
        #expect(DidYouMean.closest(to: "cat", in: ["cot", "bat"]) == "bat")
        #expect(DidYouMean.closest(to: "cat", in: ["bat", "cot"]) == "bat")
    }

    @Test("the edit distance is Levenshtein's, case-sensitive, with empty strings")
    func distance() {
        #expect(DidYouMean.distance("kitten", "sitting") == 3)
        #expect(DidYouMean.distance("", "abc") == 3)
        #expect(DidYouMean.distance("abc", "") == 3)
        #expect(DidYouMean.distance("Abc", "abc") == 1)
    }
}
