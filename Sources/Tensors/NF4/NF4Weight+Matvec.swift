import CNF4Kernels

/// The batch-1 forward y = W·x (generation): a fused dequantize-and-dot that reads the packed 4-bit codes directly.
///
/// A Float32 `sgemv` on a 4096×4096 weight streams 64 MiB; this streams the 8 MiB of codes plus the block scales and
/// decodes in registers, so on a vector kernel it is bound by decode throughput rather than memory bandwidth. The
/// kernel is chosen at run time (`NF4MatvecKernel.best`); rows are split into groups of four and the groups spread
/// over the cores. Every row's sum is formed in an order fixed by the kernel and the shape alone, so y does not
/// depend on the number of threads or on scheduling.
extension NF4Weight {
    /// y = W · x for a single input row: x has `cols` values, y gets `rows` values. Uses the fastest kernel.
    public func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        matvec(x, into: y, kernel: .best, parallel: true)
    }

    /// y = W · x with a named kernel (tests and benchmarks run each one the CPU supports).
    ///
    /// - Parameters:
    ///   - kernel: must be available on this CPU (`NF4MatvecKernel.isAvailable`). Layouts the vector kernels do not
    ///     take (a row that is not a whole number of blocks) run on the portable kernel whatever is asked.
    ///   - parallel: spread row groups over the cores; `false` runs everything on the calling thread (the same y).
    public func matvec(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, kernel: NF4MatvecKernel,
                       parallel: Bool) {
        precondition(kernel.isAvailable, "NF4Weight.matvec: the \(kernel) kernel needs instructions this CPU lacks")
        guard rows > 0 else { return }
        guard cols > 0 else {
            y.update(repeating: 0, count: rows)
            return
        }
        let groups = (rows + 3) / 4
        // At least 64 Ki values per chunk (small weights stay on the calling thread) and up to 8 chunks per core
        // (16 of 256 rows for 4096×4096 on 2 cores), so a core delayed by other load does not hold up the end; one
        // chunk when running on the calling thread.
        let chunks = ParallelChunks(count: groups, minimumPerChunk: Swift.max(1, 65_536 / (4 * cols)),
                                    maximumChunks: parallel ? ParallelChunks.threadCount * 8 : 1)
        // The C kernels need whole blocks per row (then `cols` is a multiple of 32) and x reordered once into the
        // order they consume each 16 packed bytes in; the portable kernel reads x as it is.
        let kernel = cols % blocksize == 0 ? kernel : .portable
        let split = UnsafeMutablePointer<Float>.allocate(capacity: kernel == .portable ? 0 : cols)
        defer { split.deallocate() }
        switch kernel {
        case .avx2: cnf4_split_quads(x, split, cols)
        case .avx512: cnf4_split_even_odd(x, split, cols)
        case .portable: break
        }
        let (rowCount, columnCount, blockValues) = (rows, cols, blocksize)
        let xAddress = UInt(bitPattern: x), splitAddress = UInt(bitPattern: split), yAddress = UInt(bitPattern: y)
        packed.withUnsafeBufferPointer { bytes in
            blockScales.withUnsafeBufferPointer { scales in
                NF4Codebook.values.withUnsafeBufferPointer { codebook in
                    NF4Codebook.bytePairs.withUnsafeBufferPointer { pairs in
                        let bytesAddress = UInt(bitPattern: bytes.baseAddress)
                        let scalesAddress = UInt(bitPattern: scales.baseAddress)
                        let codebookAddress = UInt(bitPattern: codebook.baseAddress)
                        let pairsAddress = UInt(bitPattern: pairs.baseAddress)
                        chunks.run { chunk in
                            guard !chunk.isEmpty else { return }
                            let bytes = UnsafePointer<UInt8>(bitPattern: bytesAddress)!
                            let scales = UnsafePointer<Float>(bitPattern: scalesAddress)!
                            let y = UnsafeMutablePointer<Float>(bitPattern: yAddress)!
                            let begin = chunk.lowerBound * 4, end = Swift.min(rowCount, chunk.upperBound * 4)
                            let codebook = UnsafePointer<Float>(bitPattern: codebookAddress)
                            let split = UnsafePointer<Float>(bitPattern: splitAddress)
                            switch kernel {
                            case .avx512:
                                cnf4_matvec_rows_avx512(bytes, scales, codebook!, split!, y, begin, end, columnCount,
                                                        blockValues)
                            case .avx2:
                                cnf4_matvec_rows_avx2(bytes, scales, codebook!, split!, y, begin, end, columnCount,
                                                      blockValues)
                            case .portable:
                                portableMatvec(rows: begin..<end, x: UnsafePointer<Float>(bitPattern: xAddress)!,
                                               bytes: bytes, scales: scales,
                                               pairs: UnsafePointer<SIMD2<Float>>(bitPattern: pairsAddress)!, into: y)
                            }
                        }
                    }
                }
            }
        }
    }
}
