// The AVX2 + FMA NF4 matvec, as byte-plane lookups: `vpshufb` is a 16-entry table lookup on bytes, so each of the
// four bytes of the 16 Float32 codebook values gets its own table ("plane"). Per 16 packed bytes (32 values) of a
// row: one broadcast load puts the bytes in both 128-bit lanes, a per-lane shift and mask leave the low nibbles
// (odd-indexed values) in lane 0 and the high nibbles (even-indexed values) in lane 1, four `vpshufb` fetch the four
// bytes of every value, and eight unpacks reassemble them into 32 floats, multiplied into four accumulators
// against x in the matching order (`cnf4_split_quads`). At the end of each block the accumulators are scaled by the
// block's absmax into the row total. On the development machine (AMD EPYC, one thread, 4096×4096) a throwaway
// side-by-side prototype timed this ~15% faster than 8-entry `vpermps` lookups with a blend on the code's top bit
// (fewer instructions per value; the kernel is bound by instruction throughput), and a 128-bit SSSE3 version of this
// kernel (for AVX-without-AVX2 CPUs) only ~5% faster than the portable Swift kernel, so there is none.
#include "CNF4Kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <string.h>

/// Sum of the 8 lanes in a fixed order.
static inline __attribute__((always_inline, target("avx2,fma")))
float avx2_sum(__m256 v) {
    const __m128 quad = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    const __m128 pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    return _mm_cvtss_f32(_mm_add_ss(pair, _mm_shuffle_ps(pair, pair, 1)));
}

/// Rows `row_begin..<row_end`; `chunks_per_block` is a constant after inlining for the common blocksizes, so the
/// chunk loop unrolls.
static inline __attribute__((always_inline, target("avx2,fma")))
void avx2_rows(const uint8_t *packed, const float *scales, const __m256i planes[4], const float *x_quads, float *y,
               size_t row_begin, size_t row_end, size_t cols, size_t blocks_per_row, const size_t chunks_per_block) {
    const size_t row_bytes = cols / 2;
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    const __m256i lane_shift = _mm256_setr_epi32(0, 0, 0, 0, 4, 4, 4, 4);
    for (size_t row = row_begin; row < row_end; row++) {
        const uint8_t *chunk = packed + row * row_bytes;
        const float *row_scales = scales + row * blocks_per_row;
        const float *xs = x_quads;
        __m256 total = _mm256_setzero_ps();
        for (size_t block = 0; block < blocks_per_row; block++) {
            __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
            __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
            for (size_t k = 0; k < chunks_per_block; k++) {
                const __m256i bytes =
                    _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)chunk));
                const __m256i codes = _mm256_and_si256(_mm256_srlv_epi32(bytes, lane_shift), nibble);
                const __m256i b0 = _mm256_shuffle_epi8(planes[0], codes);
                const __m256i b1 = _mm256_shuffle_epi8(planes[1], codes);
                const __m256i b2 = _mm256_shuffle_epi8(planes[2], codes);
                const __m256i b3 = _mm256_shuffle_epi8(planes[3], codes);
                // Per lane: low16 = bytes 0-1 of values 0-7 (lo) and 8-15 (hi); high16 = bytes 2-3.
                const __m256i low16_lo = _mm256_unpacklo_epi8(b0, b1), low16_hi = _mm256_unpackhi_epi8(b0, b1);
                const __m256i high16_lo = _mm256_unpacklo_epi8(b2, b3), high16_hi = _mm256_unpackhi_epi8(b2, b3);
                // Values 0-3, 4-7, 8-11, 12-15 of each lane (lane 0 odd-indexed, lane 1 even-indexed).
                const __m256 v0 = _mm256_castsi256_ps(_mm256_unpacklo_epi16(low16_lo, high16_lo));
                const __m256 v1 = _mm256_castsi256_ps(_mm256_unpackhi_epi16(low16_lo, high16_lo));
                const __m256 v2 = _mm256_castsi256_ps(_mm256_unpacklo_epi16(low16_hi, high16_hi));
                const __m256 v3 = _mm256_castsi256_ps(_mm256_unpackhi_epi16(low16_hi, high16_hi));
                acc0 = _mm256_fmadd_ps(v0, _mm256_loadu_ps(xs), acc0);
                acc1 = _mm256_fmadd_ps(v1, _mm256_loadu_ps(xs + 8), acc1);
                acc2 = _mm256_fmadd_ps(v2, _mm256_loadu_ps(xs + 16), acc2);
                acc3 = _mm256_fmadd_ps(v3, _mm256_loadu_ps(xs + 24), acc3);
                chunk += 16;
                xs += 32;
            }
            const __m256 block_sum = _mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3));
            total = _mm256_fmadd_ps(block_sum, _mm256_set1_ps(row_scales[block]), total);
        }
        y[row] = avx2_sum(total);
    }
}

__attribute__((target("avx2,fma")))
void cnf4_matvec_rows_avx2(const uint8_t *packed, const float *scales, const float *codebook, const float *x_quads,
                           float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize) {
    // planes[p] byte k = byte p (little-endian) of codebook[k], repeated for both 128-bit lanes.
    uint8_t bytes[4][32];
    for (int p = 0; p < 4; p++) {
        for (int k = 0; k < 16; k++) {
            uint32_t bits;
            memcpy(&bits, &codebook[k], sizeof bits);
            bytes[p][k] = bytes[p][k + 16] = (uint8_t)(bits >> (8 * p));
        }
    }
    __m256i planes[4];
    for (int p = 0; p < 4; p++) {
        planes[p] = _mm256_loadu_si256((const __m256i *)(const void *)bytes[p]);
    }
    const size_t blocks_per_row = cols / blocksize;
    // The same arithmetic in every branch; the constants only let the compiler unroll the chunk loop.
    switch (blocksize) {
    case 32:
        avx2_rows(packed, scales, planes, x_quads, y, row_begin, row_end, cols, blocks_per_row, 1);
        break;
    case 64:
        avx2_rows(packed, scales, planes, x_quads, y, row_begin, row_end, cols, blocks_per_row, 2);
        break;
    case 128:
        avx2_rows(packed, scales, planes, x_quads, y, row_begin, row_end, cols, blocks_per_row, 4);
        break;
    default:
        avx2_rows(packed, scales, planes, x_quads, y, row_begin, row_end, cols, blocks_per_row, blocksize / 32);
        break;
    }
}

#else

void cnf4_matvec_rows_avx2(const uint8_t *packed, const float *scales, const float *codebook, const float *x_quads,
                           float *y, size_t row_begin, size_t row_end, size_t cols, size_t blocksize) {
    (void)packed, (void)scales, (void)codebook, (void)x_quads, (void)y;
    (void)row_begin, (void)row_end, (void)cols, (void)blocksize;
    __builtin_trap();
}

#endif
