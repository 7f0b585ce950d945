#!/usr/bin/env bash
# NF4 linear kernels vs OpenBLAS Float32 on the same shapes, side by side in one process (TensorBench):
#   forward  y = x·Wᵀ  at batch 512, 4096×4096: NF4 GFLOPS / f32 sgemm GFLOPS   (goal ≥ 0.7×)
#   backward dx = dy·W at batch 512:            NF4 GFLOPS / f32 sgemm GFLOPS
#   batch 1 matvec:                             sgemv time / NF4 time, per NF4 kernel the CPU runs   (goal ≥ 2×)
# Usage:
#   Benchmarks/bench-tensors.sh [--rows N --cols N --batch N --repeats N]   all three, OpenBLAS's default threads
#   Benchmarks/bench-tensors.sh matvec [--sessions N] [--rows N --cols N --repeats N]
#       batch 1 only, like with like: N sessions (default 3) alternating 1 thread (OPENBLAS_NUM_THREADS=1, NF4 on
#       the calling thread) and all cores (OpenBLAS and NF4 both on every core), so the spread across sessions shows
#       how much the shared machine moved the figures.
# OPENBLAS_NUM_THREADS and taskset apply as usual to the first form.
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product TensorBench >&2
if [[ "${1:-}" == "matvec" ]]; then
    shift
    sessions=3
    if [[ "${1:-}" == "--sessions" ]]; then
        sessions="$2"
        shift 2
    fi
    cores="$(nproc)"
    for session in $(seq 1 "$sessions"); do
        echo "== session $session of $sessions"
        OPENBLAS_NUM_THREADS=1 .build/release/TensorBench matvec --threads 1 "$@"
        OPENBLAS_NUM_THREADS="$cores" .build/release/TensorBench matvec --threads "$cores" "$@"
    done
    exit 0
fi
exec .build/release/TensorBench "$@"
