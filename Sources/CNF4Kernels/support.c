// CPU feature detection and the x reordering shared by the NF4 matvec kernels.
#include "CNF4Kernels.h"

int cnf4_cpu_supports(cnf4_isa isa) {
    switch (isa) {
    case CNF4_ISA_PORTABLE:
        return 1;
#if defined(__x86_64__)
    case CNF4_ISA_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case CNF4_ISA_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
#else
    case CNF4_ISA_AVX2:
    case CNF4_ISA_AVX512:
        return 0;
#endif
    }
    return 0;
}

void cnf4_split_even_odd(const float *x, float *out, size_t cols) {
    for (size_t base = 0; base + 32 <= cols; base += 32) {
        for (size_t i = 0; i < 16; i++) {
            out[base + i] = x[base + 2 * i];
            out[base + 16 + i] = x[base + 2 * i + 1];
        }
    }
}

void cnf4_split_quads(const float *x, float *out, size_t cols) {
    for (size_t base = 0; base + 32 <= cols; base += 32) {
        for (size_t group = 0; group < 4; group++) {
            for (size_t i = 0; i < 4; i++) {
                const size_t pair = base + 2 * (4 * group + i);
                out[base + 8 * group + i] = x[pair + 1];
                out[base + 8 * group + 4 + i] = x[pair];
            }
        }
    }
}
