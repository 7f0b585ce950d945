// CVectorMath: elementwise math over float arrays, vectorised where the result stays bit-identical to this
// machine's libm, so the training and scoring kernels in Tensors get faster without changing a single output bit.
#ifndef CVECTORMATH_H
#define CVECTORMATH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[i] = expf(x[i]) for i < n (`out` may be `x`). Every value equals libm's `expf` bit for bit: on x86-64 with
/// AVX2 + FMA (where glibc runs its FMA `expf`) eight lanes go through that same algorithm at once, with the same
/// table, constants and fused operations; lanes with |x| ≥ 88 (overflow, underflow, infinities, NaN) and CPUs or
/// libms the start-up self-check finds different are handed to libm itself.
void cvm_expf(const float *x, float *out, size_t n);

/// 1 when `cvm_expf` uses its vector path on this machine (the CPU has AVX2 + FMA and the self-check passed).
int cvm_expf_is_vectorised(void);

/// How many float bit patterns b = first, first + stride, … ≤ last give a `cvm_expf` value whose bits differ from
/// libm's `expf` (NaNs compare as equal when both are NaN). For the self-check and the tests.
uint64_t cvm_expf_count_mismatches(uint32_t first, uint32_t last, uint32_t stride);

#ifdef __cplusplus
}
#endif

#endif
