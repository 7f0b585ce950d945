// The AVX2 + FMA NF4 matvec: per 8 packed bytes (16 values) of a row, zero-extend the bytes to 8 lanes and look
// each nibble up in two 8-entry halves of the block-scaled codebook (`vpermps` reads the low 3 index bits); the
// nibble's top bit, shifted into the sign, picks the half with `vblendvps`. Then multiply-add against x's even and
// odd halves. Two rows share every load of x (four would spill the 16 ymm registers: each row holds two
// accumulators and two scaled table halves); each row keeps its own even and odd accumulators.
#include "CNF4Kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/// Sum of the 8 lanes in a fixed order.
static inline __attribute__((always_inline, target("avx2,fma")))
float avx2_sum(__m256 v) {
    const __m128 quad = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
}

/// `nr` rows (1 or 2, a constant after inlining) starting at `codes`; `scales` points at the first row's block scales.
static inline __attribute__((always_inline, target("avx2,fma")))
void avx2_rows(const uint8_t *codes, size_t row_bytes, const float *scales, size_t blocks_per_row,
               size_t chunks_per_block, __m256 codebook_low, __m256 codebook_high, const float *x_split, float *y,
               const int nr) {
    __m256 even[2], odd[2];
    for (int r = 0; r < nr; r++) {
        even[r] = _mm256_setzero_ps();
        odd[r] = _mm256_setzero_ps();
    }
    const uint8_t *chunk = codes;
    const float *xs = x_split;
    for (size_t block = 0; block < blocks_per_row; block++) {
        __m256 low_half[2], high_half[2];
        for (int r = 0; r < nr; r++) {
            const __m256 scale = _mm256_set1_ps(scales[(size_t)r * blocks_per_row + block]);
            low_half[r] = _mm256_mul_ps(codebook_low, scale);
            high_half[r] = _mm256_mul_ps(codebook_high, scale);
        }
        // Half-chunks of 8 bytes: bytes 0-7 of a 16-byte chunk pair with x_split[0..8] (even) and [16..24] (odd),
        // bytes 8-15 with [8..16] and [24..32].
        for (size_t k = 0; k < 2 * chunks_per_block; k++) {
            const size_t half = k & 1;
            const __m256 x_even = _mm256_loadu_ps(xs + 8 * half);
            const __m256 x_odd = _mm256_loadu_ps(xs + 16 + 8 * half);
            for (int r = 0; r < nr; r++) {
                const __m256i bytes = _mm256_cvtepu8_epi32(
                    _mm_loadl_epi64((const __m128i *)(const void *)(chunk + (size_t)r * row_bytes)));
                const __m256i high_code = _mm256_srli_epi32(bytes, 4);
                const __m256 high = _mm256_blendv_ps(_mm256_permutevar8x32_ps(low_half[r], high_code),
                                                     _mm256_permutevar8x32_ps(high_half[r], high_code),
                                                     _mm256_castsi256_ps(_mm256_slli_epi32(bytes, 24)));
                const __m256 low = _mm256_blendv_ps(_mm256_permutevar8x32_ps(low_half[r], bytes),
                                                    _mm256_permutevar8x32_ps(high_half[r], bytes),
                                                    _mm256_castsi256_ps(_mm256_slli_epi32(bytes, 28)));
                even[r] = _mm256_fmadd_ps(high, x_even, even[r]);
                odd[r] = _mm256_fmadd_ps(low, x_odd, odd[r]);
            }
            chunk += 8;
            if (half == 1) {
                xs += 32;
            }
        }
    }
    for (int r = 0; r < nr; r++) {
        y[r] = avx2_sum(_mm256_add_ps(even[r], odd[r]));
    }
}

__attribute__((target("avx2,fma")))
void cnf4_matvec_rows_avx2(const uint8_t *packed, const float *scales, const float *codebook, const float *x_split,
                           float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize) {
    const size_t row_bytes = cols / 2;
    const size_t blocks_per_row = cols / blocksize;
    const size_t chunks_per_block = blocksize / 32;
    const __m256 low = _mm256_loadu_ps(codebook);
    const __m256 high = _mm256_loadu_ps(codebook + 8);
    size_t row = row_begin;
    for (; row + 2 <= row_end; row += 2) {
        avx2_rows(packed + row * row_bytes, row_bytes, scales + row * blocks_per_row, blocks_per_row,
                  chunks_per_block, low, high, x_split, y + row, 2);
    }
    for (; row < row_end; row++) {
        avx2_rows(packed + row * row_bytes, row_bytes, scales + row * blocks_per_row, blocks_per_row,
                  chunks_per_block, low, high, x_split, y + row, 1);
    }
}

#else

void cnf4_matvec_rows_avx2(const uint8_t *packed, const float *scales, const float *codebook, const float *x_split,
                           float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize) {
    (void)packed, (void)scales, (void)codebook, (void)x_split, (void)y;
    (void)row_begin, (void)row_end, (void)cols, (void)blocksize;
    __builtin_trap();
}

#endif
