import Foundation
import Testing
import Tensors

@Suite struct VectorExpTests {
    @Test("the vector expf gives libm's bits on a sweep of every 61st float bit pattern (NaNs, infinities and subnormals included)")
    func matchesLibmAcrossTheFloats() {
        #expect(VectorExp.mismatches(first: 0, last: UInt32.max, stride: 61) == 0)
        // The slow-path boundary (|x| near 88 and near the underflow threshold) in every bit pattern.
        for boundary: Float in [88, -88, 88.72284, -103.27893, -103.97208] {
            let bits = boundary.bitPattern
            #expect(VectorExp.mismatches(first: bits &- 4_096, last: bits &+ 4_096, stride: 1) == 0)
        }
    }

    @Test("buffers of any length and alignment, in place or not, equal libm value for value")
    func anyLengthInPlaceOrNot() {
        var rng = SeededGenerator(seed: 5)
        for count in [0, 1, 7, 8, 9, 31, 1_000] {
            let x = (0..<(count + 1)).map { _ in Float(Int64(rng.next() >> 40)) / 65_536 - 128 }  // within ±128
            var out = [Float](repeating: .nan, count: count)
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { VectorExp.exp(xp.baseAddress! + 1, into: $0.baseAddress!, count: count) }
            }
            #expect(out.map(\.bitPattern) == x.dropFirst().map { Foundation.exp($0).bitPattern })
            var inPlace = Array(x.dropFirst())
            inPlace.withUnsafeMutableBufferPointer { VectorExp.exp($0.baseAddress!, into: $0.baseAddress!, count: count) }
            #expect(inPlace.map(\.bitPattern) == out.map(\.bitPattern))
        }
    }
}
