#!/usr/bin/env bash
# NF4 linear kernels vs OpenBLAS Float32 on the same shapes, side by side in one process (TensorBench):
#   forward  y = x·Wᵀ  at batch 512, 4096×4096: NF4 GFLOPS / f32 sgemm GFLOPS   (goal ≥ 0.7×)
#   backward dx = dy·W at batch 512:            NF4 GFLOPS / f32 sgemm GFLOPS
#   batch 1 matvec:                             sgemv time / NF4 fused time      (goal ≥ 2×)
# Usage: Benchmarks/bench-tensors.sh [TensorBench options: --rows N --cols N --batch N --repeats N]
# OPENBLAS_NUM_THREADS and taskset apply as usual (e.g. OPENBLAS_NUM_THREADS=1 taskset -c 0 … for one core).
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product TensorBench >&2
exec .build/release/TensorBench "$@"
