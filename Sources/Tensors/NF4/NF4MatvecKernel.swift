import CNF4Kernels

/// The implementations of the batch-1 NF4 matvec (`NF4Weight.matvec`), one per instruction-set level.
///
/// `best` is picked once per process from what the CPU supports; every kernel computes the same y = W·x from the
/// packed codes and agrees with dequantize-then-matmul within Float32 rounding. Tests and benchmarks name a kernel
/// explicitly to check or time each one the machine can run.
public enum NF4MatvecKernel: String, CaseIterable, Sendable {
    /// Swift SIMD code any CPU runs: each packed byte decodes to two floats through the 2 KiB `bytePairs` table.
    /// Also the kernel for layouts the vector kernels do not take (rows that are not whole blocks).
    case portable
    /// x86-64 AVX2 + FMA (C, `CNF4Kernels`): 16-entry `vpshufb` lookups on the codebook's four byte planes,
    /// reassembled into floats with unpacks, 32 values per 16 packed bytes.
    case avx2
    /// x86-64 AVX-512F (C, `CNF4Kernels`): 16-entry `vpermps` table lookups, sixteen values per instruction.
    case avx512

    /// Whether this CPU can run the kernel (the portable one always).
    public var isAvailable: Bool { Self.available.contains(self) }

    /// The kernels this CPU can run, slowest first (detected once per process).
    public static let available: [NF4MatvecKernel] = allCases.filter { kernel in
        switch kernel {
        case .portable: true
        case .avx2: cnf4_cpu_supports(CNF4_ISA_AVX2) != 0
        case .avx512: cnf4_cpu_supports(CNF4_ISA_AVX512) != 0
        }
    }

    /// The fastest kernel this CPU runs: AVX-512, else AVX2, else the portable one.
    public static let best: NF4MatvecKernel = available.last ?? .portable
}
