/// The portable batch-1 kernel (`NF4MatvecKernel.portable`): a fused dequantize-and-dot in Swift SIMD that reads the
/// packed 4-bit codes directly, decoding each byte to two floats through the 2 KiB `bytePairs` table (four rows share
/// every load of x). It runs on any CPU and takes any layout, including blocks that straddle rows.
extension NF4Weight {
    /// y[row] for every row in `rows` (a range of whole 4-row groups, or ending at `self.rows`).
    func portableMatvec(rows rowRange: Range<Int>, x: UnsafePointer<Float>, bytes: UnsafePointer<UInt8>,
                        scales: UnsafePointer<Float>, pairs: UnsafePointer<SIMD2<Float>>,
                        into y: UnsafeMutablePointer<Float>) {
        let rowsAreWholeBlocks = cols % blocksize == 0
        var row0 = rowRange.lowerBound
        while row0 < rowRange.upperBound {
            if rowsAreWholeBlocks && row0 + 4 <= rowRange.upperBound {
                fourRowDot(row0: row0, x: x, bytes: bytes, scales: scales, pairs: pairs, into: y + row0)
                row0 += 4
            } else if rowsAreWholeBlocks {
                y[row0] = oneRowDot(row: row0, x: x, bytes: bytes, scales: scales, pairs: pairs)
                row0 += 1
            } else {
                y[row0] = rowDot(row: row0, x: x, bytes: bytes, scales: scales, pairs: pairs)
                row0 += 1
            }
        }
    }

    /// Four rows at once when every row is a whole number of blocks (the usual case: cols a multiple of the
    /// blocksize). Each 4-wide slice of x is loaded once for the four rows; each row's byte pair decodes through
    /// the L1-resident `bytePairs` table; per block the 4-wide partial sums are scaled by the block's absmax.
    @inline(__always)
    func fourRowDot(row0: Int, x: UnsafePointer<Float>, bytes: UnsafePointer<UInt8>, scales: UnsafePointer<Float>,
                    pairs: UnsafePointer<SIMD2<Float>>, into y: UnsafeMutablePointer<Float>) {
        let blocksPerRow = cols / blocksize
        let rowBytes = cols / 2
        let blockBytes = blocksize / 2
        let code0 = UnsafeRawPointer(bytes + row0 &* rowBytes)
        let code1 = code0 + rowBytes, code2 = code1 + rowBytes, code3 = code2 + rowBytes
        let scale0 = scales + row0 &* blocksPerRow
        let scale1 = scale0 + blocksPerRow, scale2 = scale1 + blocksPerRow, scale3 = scale2 + blocksPerRow
        var total0: Float = 0, total1: Float = 0, total2: Float = 0, total3: Float = 0
        var byteOffset = 0
        var xPointer = UnsafeRawPointer(x)
        for block in 0..<blocksPerRow {
            var acc0 = SIMD4<Float>(), acc1 = SIMD4<Float>(), acc2 = SIMD4<Float>(), acc3 = SIMD4<Float>()
            let blockEnd = byteOffset &+ blockBytes
            while byteOffset < blockEnd {
                // Four bytes = eight values per row (blocks hold a multiple of 16 bytes), against eight values of x
                // shared by the four rows.
                let xLow = xPointer.loadUnaligned(as: SIMD4<Float>.self)
                let xHigh = xPointer.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
                let w0 = code0.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self)
                let w1 = code1.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self)
                let w2 = code2.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self)
                let w3 = code3.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self)
                acc0 += Self.decodeQuad(UInt16(truncatingIfNeeded: w0), pairs) * xLow
                acc1 += Self.decodeQuad(UInt16(truncatingIfNeeded: w1), pairs) * xLow
                acc2 += Self.decodeQuad(UInt16(truncatingIfNeeded: w2), pairs) * xLow
                acc3 += Self.decodeQuad(UInt16(truncatingIfNeeded: w3), pairs) * xLow
                acc0 += Self.decodeQuad(UInt16(truncatingIfNeeded: w0 &>> 16), pairs) * xHigh
                acc1 += Self.decodeQuad(UInt16(truncatingIfNeeded: w1 &>> 16), pairs) * xHigh
                acc2 += Self.decodeQuad(UInt16(truncatingIfNeeded: w2 &>> 16), pairs) * xHigh
                acc3 += Self.decodeQuad(UInt16(truncatingIfNeeded: w3 &>> 16), pairs) * xHigh
                byteOffset = byteOffset &+ 4
                xPointer += 32
            }
            total0 += acc0.sum() * scale0[block]
            total1 += acc1.sum() * scale1[block]
            total2 += acc2.sum() * scale2[block]
            total3 += acc3.sum() * scale3[block]
        }
        y[0] = total0
        y[1] = total1
        y[2] = total2
        y[3] = total3
    }

    /// One row of whole blocks with exactly `fourRowDot`'s arithmetic, so a leftover row gets the same bits it
    /// would get inside a group of four.
    @inline(__always)
    func oneRowDot(row: Int, x: UnsafePointer<Float>, bytes: UnsafePointer<UInt8>, scales: UnsafePointer<Float>,
                   pairs: UnsafePointer<SIMD2<Float>>) -> Float {
        let blocksPerRow = cols / blocksize
        let blockBytes = blocksize / 2
        let code = UnsafeRawPointer(bytes + row &* (cols / 2))
        let scale = scales + row &* blocksPerRow
        var total: Float = 0
        var byteOffset = 0
        var xPointer = UnsafeRawPointer(x)
        for block in 0..<blocksPerRow {
            var acc = SIMD4<Float>()
            let blockEnd = byteOffset &+ blockBytes
            while byteOffset < blockEnd {
                let xLow = xPointer.loadUnaligned(as: SIMD4<Float>.self)
                let xHigh = xPointer.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
                let word = code.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self)
                acc += Self.decodeQuad(UInt16(truncatingIfNeeded: word), pairs) * xLow
                acc += Self.decodeQuad(UInt16(truncatingIfNeeded: word &>> 16), pairs) * xHigh
                byteOffset = byteOffset &+ 4
                xPointer += 32
            }
            total += acc.sum() * scale[block]
        }
        return total
    }

    /// The four values of the two bytes in the low 16 bits of `word` (little-endian: the low byte comes first).
    @inline(__always)
    static func decodeQuad(_ word: UInt16, _ pairs: UnsafePointer<SIMD2<Float>>) -> SIMD4<Float> {
        SIMD4(lowHalf: pairs[Int(truncatingIfNeeded: word & 0xFF)], highHalf: pairs[Int(truncatingIfNeeded: word &>> 8)])
    }

    /// Σ_c W[row, c] · x[c], block segment by block segment.
    @inline(__always)
    func rowDot(row: Int, x: UnsafePointer<Float>, bytes: UnsafePointer<UInt8>, scales: UnsafePointer<Float>,
                pairs: UnsafePointer<SIMD2<Float>>) -> Float {
        let rowStart = row * cols
        let rowEnd = rowStart + cols
        var total: Float = 0
        var index = rowStart
        while index < rowEnd {
            let block = index / blocksize
            let segmentEnd = Swift.min(rowEnd, (block + 1) * blocksize)
            var partial: Float = 0
            var column = index - rowStart
            if index & 1 == 1 {
                partial += NF4Codebook.values[Int(bytes[index >> 1] & 0xF)] * x[column]
                index += 1
                column += 1
            }
            // Whole groups of four values: two packed bytes → two table loads → one 4-wide multiply-add.
            let quadCount = (segmentEnd - index) >> 2
            let xRaw = UnsafeRawPointer(x + column)
            let codeRaw = UnsafeRawPointer(bytes + (index >> 1))
            var acc0 = SIMD4<Float>(), acc1 = SIMD4<Float>(), acc2 = SIMD4<Float>(), acc3 = SIMD4<Float>()
            var quad = 0
            while quad + 4 <= quadCount {
                let words = UInt64(littleEndian: codeRaw.loadUnaligned(fromByteOffset: quad * 2, as: UInt64.self))
                acc0 += Self.decodeQuad(UInt16(truncatingIfNeeded: words), pairs) * xRaw.loadUnaligned(fromByteOffset: quad * 16, as: SIMD4<Float>.self)
                acc1 += Self.decodeQuad(UInt16(truncatingIfNeeded: words &>> 16), pairs)
                    * xRaw.loadUnaligned(fromByteOffset: quad * 16 + 16, as: SIMD4<Float>.self)
                acc2 += Self.decodeQuad(UInt16(truncatingIfNeeded: words &>> 32), pairs)
                    * xRaw.loadUnaligned(fromByteOffset: quad * 16 + 32, as: SIMD4<Float>.self)
                acc3 += Self.decodeQuad(UInt16(truncatingIfNeeded: words &>> 48), pairs)
                    * xRaw.loadUnaligned(fromByteOffset: quad * 16 + 48, as: SIMD4<Float>.self)
                quad += 4
            }
            while quad < quadCount {
                let word = UInt16(littleEndian: codeRaw.loadUnaligned(fromByteOffset: quad * 2, as: UInt16.self))
                acc0 += Self.decodeQuad(word, pairs) * xRaw.loadUnaligned(fromByteOffset: quad * 16, as: SIMD4<Float>.self)
                quad += 1
            }
            let sums = (acc0 + acc1) + (acc2 + acc3)
            partial += (sums.x + sums.y) + (sums.z + sums.w)
            index += quadCount * 4
            column += quadCount * 4
            // A leftover pair (segment length ≡ 2 mod 4).
            if segmentEnd - index >= 2 {
                let pair = pairs[Int(bytes[index >> 1])]
                partial += pair.x * x[column] + pair.y * x[column + 1]
                index += 2
                column += 2
            }
            if index < segmentEnd {
                partial += NF4Codebook.values[Int(bytes[index >> 1] >> 4)] * x[column]
                index += 1
            }
            total += partial * scales[block]
        }
        return total
    }
}
