/// The batch-1 forward: a fused dequantize-and-dot that reads the packed 4-bit codes directly.
///
/// A Float32 `sgemv` on a 4096×4096 weight streams 64 MiB; this streams the 8 MiB of codes plus the block scales,
/// decoding each byte to two floats through the 2 KiB `bytePairs` table, so it is bound by decode throughput rather
/// than memory bandwidth. Rows are spread over the cores.
extension NF4Weight {
    /// y = W · x for a single input row: x has `cols` values, y gets `rows` values.
    public func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        let xAddress = UInt(bitPattern: x), yAddress = UInt(bitPattern: y)
        packed.withUnsafeBufferPointer { bytes in
            blockScales.withUnsafeBufferPointer { scales in
                NF4Codebook.bytePairs.withUnsafeBufferPointer { pairs in
                    let bytesAddress = UInt(bitPattern: bytes.baseAddress)
                    let scalesAddress = UInt(bitPattern: scales.baseAddress)
                    let pairsAddress = UInt(bitPattern: pairs.baseAddress)
                    ParallelChunks(count: rows, minimumPerChunk: Swift.max(1, 32_768 / Swift.max(1, cols))).run { chunk in
                        let x = UnsafePointer<Float>(bitPattern: xAddress)!
                        let y = UnsafeMutablePointer<Float>(bitPattern: yAddress)!
                        let bytes = UnsafePointer<UInt8>(bitPattern: bytesAddress)!
                        let scales = UnsafePointer<Float>(bitPattern: scalesAddress)!
                        let pairs = UnsafePointer<SIMD2<Float>>(bitPattern: pairsAddress)!
                        for row in chunk {
                            y[row] = rowDot(row: row, x: x, bytes: bytes, scales: scales, pairs: pairs)
                        }
                    }
                }
            }
        }
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
            let pairCount = (segmentEnd - index) >> 1
            let xRaw = UnsafeRawPointer(x + column)
            let byteBase = bytes + (index >> 1)
            var acc0 = SIMD2<Float>(), acc1 = SIMD2<Float>(), acc2 = SIMD2<Float>(), acc3 = SIMD2<Float>()
            var pair = 0
            while pair + 4 <= pairCount {
                acc0 += pairs[Int(byteBase[pair])] * xRaw.loadUnaligned(fromByteOffset: pair * 8, as: SIMD2<Float>.self)
                acc1 += pairs[Int(byteBase[pair + 1])]
                    * xRaw.loadUnaligned(fromByteOffset: pair * 8 + 8, as: SIMD2<Float>.self)
                acc2 += pairs[Int(byteBase[pair + 2])]
                    * xRaw.loadUnaligned(fromByteOffset: pair * 8 + 16, as: SIMD2<Float>.self)
                acc3 += pairs[Int(byteBase[pair + 3])]
                    * xRaw.loadUnaligned(fromByteOffset: pair * 8 + 24, as: SIMD2<Float>.self)
                pair += 4
            }
            while pair < pairCount {
                acc0 += pairs[Int(byteBase[pair])] * xRaw.loadUnaligned(fromByteOffset: pair * 8, as: SIMD2<Float>.self)
                pair += 1
            }
            let sums = (acc0 + acc1) + (acc2 + acc3)
            partial += sums.x + sums.y
            index += pairCount * 2
            column += pairCount * 2
            if index < segmentEnd {
                partial += NF4Codebook.values[Int(bytes[index >> 1] >> 4)] * x[column]
                index += 1
            }
            total += partial * scales[block]
        }
        return total
    }
}
