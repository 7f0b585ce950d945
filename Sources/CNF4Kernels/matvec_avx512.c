// The AVX-512F NF4 matvec: per 16 packed bytes (32 values) of a row, zero-extend the bytes to 16 lanes, look both
// nibbles up in a 16-entry table already multiplied by the block's absmax (one `vpermps` each: it reads only the low
// 4 index bits, so the low nibble needs no mask), and multiply-add against x's even and odd halves.
// Four rows share every load of x; each row keeps its own even and odd accumulators.
#include "CNF4Kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// `nr` rows (1…4, a constant after inlining) starting at `codes`; `scales` points at the first row's block scales.
static inline __attribute__((always_inline, target("avx512f")))
void avx512_rows(const uint8_t *codes, size_t row_bytes, const float *scales, size_t blocks_per_row,
                 size_t chunks_per_block, __m512 codebook, const float *x_split, float *y, const int nr) {
    __m512 even[4], odd[4];
    for (int r = 0; r < nr; r++) {
        even[r] = _mm512_setzero_ps();
        odd[r] = _mm512_setzero_ps();
    }
    const uint8_t *chunk = codes;
    const float *xs = x_split;
    for (size_t block = 0; block < blocks_per_row; block++) {
        __m512 table[4];
        for (int r = 0; r < nr; r++) {
            table[r] = _mm512_mul_ps(codebook, _mm512_set1_ps(scales[(size_t)r * blocks_per_row + block]));
        }
        for (size_t k = 0; k < chunks_per_block; k++) {
            const __m512 x_even = _mm512_loadu_ps(xs);
            const __m512 x_odd = _mm512_loadu_ps(xs + 16);
            for (int r = 0; r < nr; r++) {
                const __m512i bytes =
                    _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(chunk + (size_t)r * row_bytes)));
                const __m512 high = _mm512_permutexvar_ps(_mm512_srli_epi32(bytes, 4), table[r]);
                const __m512 low = _mm512_permutexvar_ps(bytes, table[r]);
                even[r] = _mm512_fmadd_ps(high, x_even, even[r]);
                odd[r] = _mm512_fmadd_ps(low, x_odd, odd[r]);
            }
            chunk += 16;
            xs += 32;
        }
    }
    for (int r = 0; r < nr; r++) {
        y[r] = _mm512_reduce_add_ps(_mm512_add_ps(even[r], odd[r]));
    }
}

__attribute__((target("avx512f")))
void cnf4_matvec_rows_avx512(const uint8_t *packed, const float *scales, const float *codebook, const float *x_split,
                             float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize) {
    const size_t row_bytes = cols / 2;
    const size_t blocks_per_row = cols / blocksize;
    const size_t chunks_per_block = blocksize / 32;
    const __m512 table = _mm512_loadu_ps(codebook);
    size_t row = row_begin;
    for (; row + 4 <= row_end; row += 4) {
        avx512_rows(packed + row * row_bytes, row_bytes, scales + row * blocks_per_row, blocks_per_row,
                    chunks_per_block, table, x_split, y + row, 4);
    }
    for (; row < row_end; row++) {
        avx512_rows(packed + row * row_bytes, row_bytes, scales + row * blocks_per_row, blocks_per_row,
                    chunks_per_block, table, x_split, y + row, 1);
    }
}

#else

void cnf4_matvec_rows_avx512(const uint8_t *packed, const float *scales, const float *codebook, const float *x_split,
                             float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize) {
    (void)packed, (void)scales, (void)codebook, (void)x_split, (void)y;
    (void)row_begin, (void)row_end, (void)cols, (void)blocksize;
    __builtin_trap();
}

#endif
