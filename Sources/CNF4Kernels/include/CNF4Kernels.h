// CNF4Kernels: the vectorised NF4 batch-1 matrix-vector kernels (x86-64 AVX2 and AVX-512 variants), called by
// `NF4Weight.matvec` in the Tensors target when the CPU has the instructions. Every kernel reads the packed 4-bit
// codes directly (two per byte, even index in the high nibble, bitsandbytes' layout) and never materialises the
// Float32 weight.
#ifndef CNF4_KERNELS_H
#define CNF4_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set levels a matvec kernel exists for.
typedef enum {
    /// Plain code any CPU runs (the Swift kernel in Tensors; no C kernel).
    CNF4_ISA_PORTABLE = 0,
    /// AVX2 + FMA: 16-entry `vpshufb` lookups on the four byte planes of the codebook.
    CNF4_ISA_AVX2 = 1,
    /// AVX-512F: one 16-entry `vpermps` lookup per 16 codes.
    CNF4_ISA_AVX512 = 2,
} cnf4_isa;

/// 1 when this CPU (and the OS, for the wide registers) supports `isa`, else 0. The portable level is always 1.
int cnf4_cpu_supports(cnf4_isa isa);

/// Reorders x for the kernels: in every run of 32 values, the 16 even-indexed values come first, then the 16
/// odd-indexed ones, so a 16-byte load of codes lines up its high nibbles with the first half and its low nibbles
/// with the second. `cols` must be a multiple of 32; `out` holds `cols` floats.
void cnf4_split_even_odd(const float *x, float *out, size_t cols);

/// Reorders x for the AVX2 kernel: in every run of 32 values (16 code pairs), four groups of 8: the odd-indexed
/// then the even-indexed values of pairs 4g…4g+3. `cols` must be a multiple of 32; `out` holds `cols` floats.
void cnf4_split_quads(const float *x, float *out, size_t cols);

/// y[r] = Σ_c W[r, c] · x[c] for rows `row_begin..<row_end` of an NF4 weight whose rows are whole blocks (AVX2).
///
/// - `packed`: the whole weight's codes, `rows · cols / 2` bytes; `scales`: one Float32 absmax per block, row-major;
///   `codebook`: the 16 NF4 values; `x_quads`: x reordered by `cnf4_split_quads`; `y`: the whole output.
/// - Requires `cols % blocksize == 0` and `blocksize % 32 == 0`.
/// Each row's sum is formed in a fixed order that depends only on `cols` and `blocksize`, never on the row range,
/// so splitting rows across threads gives identical results.
void cnf4_matvec_rows_avx2(const uint8_t *packed, const float *scales, const float *codebook, const float *x_quads,
                           float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize);

/// As `cnf4_matvec_rows_avx2`, with AVX-512F and x reordered by `cnf4_split_even_odd` (same requirements, same
/// fixed per-row order).
void cnf4_matvec_rows_avx512(const uint8_t *packed, const float *scales, const float *codebook, const float *x_split,
                             float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize);

#ifdef __cplusplus
}
#endif

#endif
