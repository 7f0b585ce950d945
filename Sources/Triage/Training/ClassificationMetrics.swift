import TriageData

/// Triage classification quality from a confusion matrix: accuracy, macro-F1, per-language accuracy and the
/// under-triage rate (an immediate case called medium or delayed — the error that harms patients).
public struct ClassificationMetrics: Sendable, Equatable {
    /// counts[true][predicted], rows and columns in `TriageLabel.allCases` order.
    public private(set) var confusion: [[Int]]
    /// Correct and total predictions per language.
    public private(set) var perLanguage: [RecordLanguage: (correct: Int, total: Int)] = [:]

    /// An empty tally.
    public init() {
        confusion = Array(repeating: Array(repeating: 0, count: TriageLabel.allCases.count),
                          count: TriageLabel.allCases.count)
    }

    /// A tally from a ready confusion matrix (no language breakdown).
    public init(confusion: [[Int]]) {
        precondition(confusion.count == 3 && confusion.allSatisfy { $0.count == 3 }, "a 3×3 confusion matrix")
        self.confusion = confusion
    }

    /// Counts one prediction.
    public mutating func record(truth: TriageLabel, predicted: TriageLabel, lang: RecordLanguage) {
        confusion[truth.rank][predicted.rank] += 1
        var entry = perLanguage[lang] ?? (0, 0)
        entry.total += 1
        if truth == predicted { entry.correct += 1 }
        perLanguage[lang] = entry
    }

    /// The number of predictions.
    public var total: Int { confusion.joined().reduce(0, +) }

    /// Correct / total (0 when empty).
    public var accuracy: Double {
        total == 0 ? 0 : Double((0..<3).map { confusion[$0][$0] }.reduce(0, +)) / Double(total)
    }

    /// Per-class F1 in label order; a class with no true and no predicted cases scores 0 (scikit-learn's
    /// `zero_division=0`).
    public var perClassF1: [Double] {
        (0..<3).map { c in
            let tp = Double(confusion[c][c])
            let predicted = Double((0..<3).map { confusion[$0][c] }.reduce(0, +))
            let actual = Double(confusion[c].reduce(0, +))
            return predicted + actual == 0 ? 0 : 2 * tp / (predicted + actual)
        }
    }

    /// The unweighted mean of the per-class F1 scores (scikit-learn `f1_score(average="macro")`).
    public var macroF1: Double { perClassF1.reduce(0, +) / 3 }

    /// The share of truly immediate cases predicted medium or delayed (0 when there are none).
    public var underTriageRate: Double {
        let immediate = confusion[TriageLabel.immediate.rank]
        let total = immediate.reduce(0, +)
        return total == 0 ? 0 : Double(total - immediate[TriageLabel.immediate.rank]) / Double(total)
    }

    /// Accuracy within one language (0 when it has no cases).
    public func accuracy(for lang: RecordLanguage) -> Double {
        guard let entry = perLanguage[lang], entry.total > 0 else { return 0 }
        return Double(entry.correct) / Double(entry.total)
    }

    public static func == (a: ClassificationMetrics, b: ClassificationMetrics) -> Bool {
        a.confusion == b.confusion && a.perLanguage.mapValues { [$0.correct, $0.total] }
            == b.perLanguage.mapValues { [$0.correct, $0.total] }
    }
}
