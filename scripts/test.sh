#!/usr/bin/env bash
# README's test command: set up, build, run every test. The S3 tests need SeaweedFS, the Slurm tests a
# single-node cluster and the tracking tests an MLflow server: unless already running (scripts/services.sh,
# scripts/slurm.sh, scripts/mlflow.sh), each is started here while the build runs, and stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .build/services
started="$(mktemp)"
log="$(mktemp)"
bash scripts/services.sh start --started-file "$started" > "$log" 2>&1 &
services=$!
# The Slurm tests need the single-node cluster (scripts/slurm.sh), started the same way.
slurm_started="$(mktemp)"
slurm_log="$(mktemp)"
bash scripts/slurm.sh start --started-file "$slurm_started" > "$slurm_log" 2>&1 &
slurm=$!
mlflow_started="$(mktemp)"
mlflow_log="$(mktemp)"
bash scripts/mlflow.sh start --started-file "$mlflow_started" > "$mlflow_log" 2>&1 &
mlflow=$!
cleanup() {
    wait "$services" 2>/dev/null || true
    wait "$mlflow" 2>/dev/null || true
    if [ -s "$started" ]; then bash scripts/services.sh stop; fi
    wait "$slurm" 2>/dev/null || true
    if [ -s "$slurm_started" ]; then bash scripts/slurm.sh stop; fi
    if [ -s "$mlflow_started" ]; then bash scripts/mlflow.sh stop; fi
    rm -f "$started" "$log" "$slurm_started" "$slurm_log" "$mlflow_started" "$mlflow_log"
}
trap cleanup EXIT
swift build
if ! wait "$services"; then
    cat "$log" >&2
    echo "test.sh: SeaweedFS did not start (see above); the S3 tests need it" >&2
    exit 1
fi
cat "$log"
if ! wait "$slurm"; then
    cat "$slurm_log" >&2
    echo "test.sh: the Slurm cluster did not start (see above); the Slurm tests need it" >&2
    exit 1
fi
cat "$slurm_log"
if ! wait "$mlflow"; then
    cat "$mlflow_log" >&2
    echo "test.sh: MLflow did not start (see above); the tracking tests need it" >&2
    exit 1
fi
cat "$mlflow_log"
swift test --parallel
