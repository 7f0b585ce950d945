import TriageData

/// The decision rule a triage classifier is deployed at: the immediate label's log-probability is raised by a bias
/// before the highest score wins. Calibrated on held-out records so that at most a target share of their immediate
/// cases is under-triaged — the sensitivity-first operating point of a triage tool, i.e. a cost-sensitive decision
/// that trades some over-triage for fewer missed emergencies. A bias of 0 is the plain argmax.
public struct TriageOperatingPoint: Sendable, Equatable {
    /// Added to the immediate label's log-probability (nats) before comparing.
    public var immediateBias: Double

    /// The plain argmax (`immediateBias` 0) or a given bias.
    public init(immediateBias: Double = 0) {
        precondition(immediateBias >= 0 && immediateBias.isFinite, "a finite, non-negative bias")
        self.immediateBias = immediateBias
    }

    /// The label for `scores` (log-probabilities in `TriageLabel.allCases` order); the most urgent on a tie.
    public func label(scores: [Double]) -> TriageLabel {
        precondition(scores.count == TriageLabel.allCases.count, "one score per label")
        var adjusted = scores
        adjusted[TriageLabel.immediate.rank] += immediateBias
        var best = 0
        for i in 1..<adjusted.count where adjusted[i] > adjusted[best] { best = i }
        return TriageLabel.allCases[best]
    }

    /// The share of the immediate cases in `scored` this operating point calls medium or delayed (0 with none).
    public func underTriageRate(on scored: [(truth: TriageLabel, scores: [Double])]) -> Double {
        let immediate = scored.filter { $0.truth == .immediate }
        guard !immediate.isEmpty else { return 0 }
        return Double(immediate.filter { label(scores: $0.scores) != .immediate }.count) / Double(immediate.count)
    }

    /// The smallest bias that leaves at most `maxUnderTriage` of the immediate cases in `scored` called medium or
    /// delayed (0 when the argmax already does). With no immediate case there is nothing to calibrate: bias 0.
    public static func calibrated(on scored: [(truth: TriageLabel, scores: [Double])],
                                  maxUnderTriage: Double) -> TriageOperatingPoint {
        precondition((0...1).contains(maxUnderTriage), "a rate in 0...1")
        let i = TriageLabel.immediate.rank
        // How far each immediate case's score falls short of the best other label's, largest first.
        let shortfalls = scored.filter { $0.truth == .immediate }.map { s in
            (s.scores.indices.filter { $0 != i }.map { s.scores[$0] }.max() ?? -.infinity) - s.scores[i]
        }.sorted(by: >)
        let allowedMisses = Int((maxUnderTriage * Double(shortfalls.count) + 1e-9).rounded(.down))
        guard allowedMisses < shortfalls.count, shortfalls[allowedMisses] > 0 else { return TriageOperatingPoint() }
        // Just past the first shortfall that must be covered, so rounding cannot undo it.
        let bias = shortfalls[allowedMisses]
        return TriageOperatingPoint(immediateBias: bias + max(1e-9, bias * 1e-9))
    }
}
