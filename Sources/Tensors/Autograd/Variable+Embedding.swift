/// Embedding lookup: rows of a [vocab, d] table gathered by token id.
extension Variable {
    /// Gathers `table` rows for `ids` → [ids.count, d] (reshape for a batch). The table gradient is a
    /// scatter-add of the output rows (repeated ids accumulate).
    public static func embedding(_ ids: [Int], table: Variable) -> Variable {
        precondition(table.shape.count == 2, "embedding table must be [vocab, d], got \(table.shape)")
        let (vocab, d) = (table.shape[0], table.shape[1])
        var out = [Float](repeating: 0, count: ids.count * d)
        table.value.withUnsafeBufferPointer { tp in
            for (row, id) in ids.enumerated() {
                precondition(id >= 0 && id < vocab, "token id \(id) is outside the vocabulary (size \(vocab))")
                for j in 0..<d { out[row * d + j] = tp[id * d + j] }
            }
        }
        return result(Tensor(shape: [ids.count, d], scalars: out), parents: [table]) { g in
            var dt = table.grad ?? Tensor.zeros(table.shape)
            table.grad = nil                                    // unique storage: add in place
            dt.withUnsafeMutableBufferPointer { dp in
                g.withUnsafeBufferPointer { gp in
                    for (row, id) in ids.enumerated() {
                        for j in 0..<d { dp[id * d + j] += gp[row * d + j] }
                    }
                }
            }
            table.grad = dt
        }
    }
}
