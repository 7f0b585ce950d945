// A vectorised expf that reproduces glibc's FMA variant (`__expf_fma`, glibc 2.27+, from ARM's optimized-routines)
// lane for lane. The algorithm, read from that function's machine code on the development machine (glibc 2.36):
//   k + r = x · 32/ln2 with k an integer (rounded by adding 1.5·2^52) and |r| ≤ 1/2;
//   exp(x) = 2^(k/32) · 2^(r/32) ≈ s · (c0·r³ + c1·r² + c2·r + 1), s from a 32-entry table of 2^(i/32),
// all in double precision with the same four fused multiply-adds, then rounded once to float. Doing the same
// operations in the same order gives the same bits; `cvm_expf_count_mismatches` checks that against libm itself
// (every one of the 2^32 inputs, once, on the development machine: README, docs/training.md).
#include "CVectorMath.h"

#include <math.h>
#include <string.h>

static inline uint32_t float_bits(float x) {
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline int same_bits(float a, float b) {
    return (isnan(a) && isnan(b)) || float_bits(a) == float_bits(b);
}

/// |x| ≥ 88, an infinity or a NaN: the inputs glibc sends down its slow path (top 12 bits of |x| above 0x42a).
static inline int needs_libm(uint32_t bits) { return ((bits >> 20) & 0x7ff) > 0x42a; }

#if defined(__x86_64__)
#include <immintrin.h>

/// 2^(i/32) as double bit patterns minus i·2^47 (so adding k·2^47 for k ≡ i mod 32 scales by 2^(k/32)).
static const uint64_t exp2_table[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};

/// exp of four doubles that are floats with |x| < 88, as glibc's fast path computes it (before the float rounding).
static inline __attribute__((always_inline, target("avx2,fma")))
__m256d exp_fast_pd(__m256d xd) {
    const __m256d invln2n = _mm256_set1_pd(0x1.71547652b82fep+5);  // 32/ln2
    const __m256d shift = _mm256_set1_pd(0x1.8p+52);
    const __m256d c0 = _mm256_set1_pd(0x1.c6af84b912394p-20);      // the polynomial in r, scaled by 1/32ⁿ
    const __m256d c1 = _mm256_set1_pd(0x1.ebfce50fac4f3p-13);
    const __m256d c2 = _mm256_set1_pd(0x1.62e42ff0c52d6p-6);
    __m256d kd = _mm256_fmadd_pd(invln2n, xd, shift);                // k + 1.5·2^52, rounded to an integer
    const __m256i ki = _mm256_castpd_si256(kd);
    kd = _mm256_sub_pd(kd, shift);
    const __m256d r = _mm256_fmsub_pd(invln2n, xd, kd);              // x·32/ln2 − k
    const __m256i index = _mm256_and_si256(ki, _mm256_set1_epi64x(31));
    __m256i t = _mm256_i64gather_epi64((const long long *)exp2_table, index, 8);
    t = _mm256_add_epi64(t, _mm256_slli_epi64(ki, 47));
    const __m256d s = _mm256_castsi256_pd(t);
    const __m256d z = _mm256_fmadd_pd(r, c0, c1);
    const __m256d r2 = _mm256_mul_pd(r, r);
    __m256d y = _mm256_fmadd_pd(r, c2, _mm256_set1_pd(1.0));
    y = _mm256_fmadd_pd(z, r2, y);
    return _mm256_mul_pd(y, s);
}

static __attribute__((target("avx2,fma")))
void expf_avx2(const float *x, float *out, size_t n) {
    size_t i = 0;
    const __m256i limit = _mm256_set1_epi32(0x42a);
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        const __m256i top = _mm256_and_si256(_mm256_srli_epi32(_mm256_castps_si256(v), 20), _mm256_set1_epi32(0x7ff));
        const int slow = _mm256_movemask_epi8(_mm256_cmpgt_epi32(top, limit));
        const __m128 low = _mm256_cvtpd_ps(exp_fast_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(v))));
        const __m128 high = _mm256_cvtpd_ps(exp_fast_pd(_mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
        if (slow) {
            float lanes[8], values[8];
            _mm256_storeu_ps(lanes, v);
            _mm_storeu_ps(values, low);
            _mm_storeu_ps(values + 4, high);
            for (int j = 0; j < 8; j++) {
                if (needs_libm(float_bits(lanes[j]))) values[j] = expf(lanes[j]);
            }
            memcpy(out + i, values, sizeof values);
        } else {
            _mm_storeu_ps(out + i, low);
            _mm_storeu_ps(out + i + 4, high);
        }
    }
    for (; i < n; i++) out[i] = expf(x[i]);
}
#endif

static void expf_libm(const float *x, float *out, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = expf(x[i]);
}

typedef void (*expf_kernel)(const float *, float *, size_t);

/// libm, or the vector path when the CPU has AVX2 + FMA and a sweep of 2^20 inputs over the whole float range
/// matches libm bit for bit (it would not on a libm whose expf is a different algorithm).
static expf_kernel chosen_kernel(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        uint64_t mismatches = 0;
        float probe[256], mine[256];
        for (uint32_t base = 0; base < 4096 && mismatches == 0; base++) {
            for (uint32_t j = 0; j < 256; j++) {
                const uint32_t bits = base * 1048573u + j * 4099u;
                memcpy(&probe[j], &bits, sizeof bits);
            }
            expf_avx2(probe, mine, 256);
            for (uint32_t j = 0; j < 256; j++) mismatches += !same_bits(mine[j], expf(probe[j]));
        }
        if (mismatches == 0) return expf_avx2;
    }
#endif
    return expf_libm;
}

static expf_kernel kernel_once(void) {
    static expf_kernel kernel;  // set once; a race only computes the same choice twice
    expf_kernel k = __atomic_load_n(&kernel, __ATOMIC_ACQUIRE);
    if (!k) {
        k = chosen_kernel();
        __atomic_store_n(&kernel, k, __ATOMIC_RELEASE);
    }
    return k;
}

void cvm_expf(const float *x, float *out, size_t n) { kernel_once()(x, out, n); }

int cvm_expf_is_vectorised(void) { return kernel_once() != expf_libm; }

uint64_t cvm_expf_count_mismatches(uint32_t first, uint32_t last, uint32_t stride) {
    if (stride == 0) stride = 1;
    float in[1024], mine[1024];
    uint64_t mismatches = 0;
    uint64_t b = first;
    while (b <= last) {
        size_t count = 0;
        for (; count < 1024 && b <= last; count++, b += stride) {
            const uint32_t bits = (uint32_t)b;
            memcpy(&in[count], &bits, sizeof bits);
        }
        cvm_expf(in, mine, count);
        for (size_t j = 0; j < count; j++) mismatches += !same_bits(mine[j], expf(in[j]));
    }
    return mismatches;
}
