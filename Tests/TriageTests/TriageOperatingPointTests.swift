import Testing
import TriageData
@testable import Triage

@Suite struct TriageOperatingPointTests {
    /// Scores in (immediate, medium, delayed) order: `shortfall` is how far immediate trails the best other label.
    private func immediateCase(shortfall: Double) -> (truth: TriageLabel, scores: [Double]) {
        (.immediate, [-1 - shortfall, -1, -5])
    }

    @Test func theDefaultIsThePlainArgmaxWithTiesGoingToTheMoreUrgentLabel() {
        let argmax = TriageOperatingPoint()
        #expect(argmax.label(scores: [-2, -0.5, -3]) == .medium)
        #expect(argmax.label(scores: [-1, -1, -3]) == .immediate)
        #expect(argmax.label(scores: [-4, -2, -2]) == .medium)
    }

    @Test func aBiasTurnsACloseMediumCallIntoImmediateButLeavesAClearOneAlone() {
        let point = TriageOperatingPoint(immediateBias: 1.5)
        #expect(point.label(scores: [-2, -1, -3]) == .immediate)        // immediate trails by 1 < 1.5
        #expect(point.label(scores: [-4, -1, -3]) == .medium)           // trails by 3
        #expect(point.label(scores: [-9, -3, -0.1]) == .delayed)
    }

    @Test func calibrationFindsTheSmallestBiasThatKeepsUnderTriageAtTheTarget() {
        // Ten immediate cases, four of them called lower by the argmax (shortfalls 0.5, 1, 2, 4).
        let scored = [0.5, 1, 2, 4].map(immediateCase) + (0..<6).map { _ in immediateCase(shortfall: -3) }
            + [(TriageLabel.medium, [-6.0, -0.1, -4]), (TriageLabel.delayed, [-7.0, -5, -0.2])]
        func misses(_ point: TriageOperatingPoint) -> Int { Int((point.underTriageRate(on: scored) * 10).rounded()) }
        #expect(misses(TriageOperatingPoint()) == 4)
        // 20 % may be missed: 2 of 10, so the cases trailing by 0.5 and 1 must be caught, and no more.
        let twenty = TriageOperatingPoint.calibrated(on: scored, maxUnderTriage: 0.2)
        #expect(misses(twenty) == 2)
        #expect(abs(twenty.immediateBias - 1) < 1e-6)
        // Zero misses covers the worst case; the medium and delayed cases here are clear and stay put.
        let zero = TriageOperatingPoint.calibrated(on: scored, maxUnderTriage: 0)
        #expect(misses(zero) == 0 && zero.immediateBias < 4.001)
        #expect(zero.label(scores: scored[10].scores) == .medium && zero.label(scores: scored[11].scores) == .delayed)
    }

    @Test func whenTheArgmaxAlreadyMeetsTheTargetOrThereIsNoImmediateCaseTheBiasIsZero() {
        let good = (0..<10).map { _ in immediateCase(shortfall: -2) } + [immediateCase(shortfall: 3)]
        #expect(TriageOperatingPoint.calibrated(on: good, maxUnderTriage: 0.1).immediateBias == 0)
        let noImmediate = [(truth: TriageLabel.medium, scores: [-3.0, -1, -2])]
        #expect(TriageOperatingPoint.calibrated(on: noImmediate, maxUnderTriage: 0).immediateBias == 0)
        #expect(TriageOperatingPoint().underTriageRate(on: noImmediate) == 0)
    }
}
