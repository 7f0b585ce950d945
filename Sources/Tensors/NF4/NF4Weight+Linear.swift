import CBLAS

/// The linear-layer kernels: forward `y = x·Wᵀ` and input gradient `dx = dy·W`, computed panel by panel.
///
/// A panel of W (a few hundred rows, or columns) is decoded into a scratch buffer and handed to `cblas_sgemm`, so at
/// most one panel of Float32 weight exists at a time (256 rows, 4 MiB, of a 4096-wide layer) and OpenBLAS still does the
/// arithmetic at full speed. A single input row (batch 1, generation) takes the fused path in `NF4Weight+Matvec`,
/// which reads the 4-bit codes directly.
extension NF4Weight {
    /// Float32 values of weight decoded at once per forward panel (4 MiB): the panel height is chosen to stay near this.
    static let panelElementBudget = 1 << 20
    /// Float32 values decoded at once per input-gradient panel (8 MiB): wider panels mean fewer sgemm calls that
    /// each re-pack all of dy, which measured faster for the backward.
    static let gradientPanelElementBudget = 1 << 21

    /// Rows of W decoded at once by the forward (the whole weight only when it is under the panel budget).
    var forwardPanelRows: Int { Swift.max(1, Swift.min(rows, Swift.max(16, Self.panelElementBudget / Swift.max(1, cols)))) }

    /// Columns of W decoded at once by the input gradient.
    var gradientPanelColumns: Int {
        Swift.max(1, Swift.min(cols, Swift.max(16, Self.gradientPanelElementBudget / Swift.max(1, rows))))
    }

    /// y = x · Wᵀ : x is batch×cols, y is batch×rows (the linear forward). Overwrites `y`.
    public func matmulTransposed(_ x: UnsafeBufferPointer<Float>, batch: Int,
                                 into y: UnsafeMutableBufferPointer<Float>) {
        precondition(x.count >= batch * cols, "matmulTransposed: x holds \(x.count) values, needs \(batch)×\(cols)")
        precondition(y.count >= batch * rows, "matmulTransposed: y holds \(y.count) values, needs \(batch)×\(rows)")
        guard batch > 0, rows > 0 else { return }
        guard cols > 0 else {
            y.baseAddress!.update(repeating: 0, count: batch * rows)
            return
        }
        if batch == 1 {
            matvec(x.baseAddress!, into: y.baseAddress!)
            return
        }
        let panelRows = forwardPanelRows
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * cols)
        defer { scratch.deallocate() }
        var row0 = 0
        while row0 < rows {
            let height = Swift.min(panelRows, rows - row0)
            decodeParallel(elements: (row0 * cols)..<((row0 + height) * cols), into: scratch, rowLength: cols)
            // y[:, row0..<row0+height] = x (batch×cols) · panelᵀ (cols×height)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                        Int32(batch), Int32(height), Int32(cols),
                        1, x.baseAddress!, Int32(cols),
                        scratch, Int32(cols),
                        0, y.baseAddress! + row0, Int32(rows))
            row0 += height
        }
    }

    /// dx = dy · W : dy is batch×rows, dx is batch×cols (the input gradient). Overwrites `dx`.
    public func matmul(_ dy: UnsafeBufferPointer<Float>, batch: Int, into dx: UnsafeMutableBufferPointer<Float>) {
        precondition(dy.count >= batch * rows, "matmul: dy holds \(dy.count) values, needs \(batch)×\(rows)")
        precondition(dx.count >= batch * cols, "matmul: dx holds \(dx.count) values, needs \(batch)×\(cols)")
        guard batch > 0, cols > 0 else { return }
        guard rows > 0 else {
            dx.baseAddress!.update(repeating: 0, count: batch * cols)
            return
        }
        // Column panels: every panel sees all rows, so each dx element is written once with the full sum.
        let panelCols = gradientPanelColumns
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: rows * panelCols)
        defer { scratch.deallocate() }
        var col0 = 0
        while col0 < cols {
            let width = Swift.min(panelCols, cols - col0)
            decodeColumns(col0..<(col0 + width), into: scratch)
            if batch == 1 {
                // dx[col0..<col0+width] = panelᵀ · dy
                cblas_sgemv(CblasRowMajor, CblasTrans, Int32(rows), Int32(width),
                            1, scratch, Int32(width), dy.baseAddress!, 1, 0, dx.baseAddress! + col0, 1)
            } else {
                // dx[:, col0..<col0+width] = dy (batch×rows) · panel (rows×width)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            Int32(batch), Int32(width), Int32(rows),
                            1, dy.baseAddress!, Int32(rows),
                            scratch, Int32(width),
                            0, dx.baseAddress! + col0, Int32(cols))
            }
            col0 += width
        }
    }

    /// Decodes a contiguous element range on all cores (split on row boundaries of `rowLength`).
    func decodeParallel(elements: Range<Int>, into output: UnsafeMutablePointer<Float>, rowLength: Int) {
        let rowCount = elements.count / rowLength
        let base = elements.lowerBound
        let address = UInt(bitPattern: output)
        ParallelChunks(count: rowCount, minimumPerChunk: Swift.max(1, 16_384 / rowLength)).run { chunk in
            guard !chunk.isEmpty else { return }
            let out = UnsafeMutablePointer<Float>(bitPattern: address)! + chunk.lowerBound * rowLength
            decode(elements: (base + chunk.lowerBound * rowLength)..<(base + chunk.upperBound * rowLength), into: out)
        }
    }

    /// Decodes W[:, columns] into a rows×columns.count row-major buffer.
    func decodeColumns(_ columns: Range<Int>, into output: UnsafeMutablePointer<Float>) {
        let width = columns.count
        let address = UInt(bitPattern: output)
        ParallelChunks(count: rows, minimumPerChunk: Swift.max(1, 16_384 / Swift.max(1, width))).run { chunk in
            let out = UnsafeMutablePointer<Float>(bitPattern: address)!
            for row in chunk {
                let start = row * cols + columns.lowerBound
                decode(elements: start..<(start + width), into: out + row * width)
            }
        }
    }
}
