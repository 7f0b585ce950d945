#!/usr/bin/env bash
# README's test command: set up, build, run every test. The S3 tests need SeaweedFS and the tracking tests an
# MLflow server: unless already running (scripts/services.sh, scripts/mlflow.sh), each is started here while the
# build runs, and stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .build/services
started="$(mktemp)"
log="$(mktemp)"
bash scripts/services.sh start --started-file "$started" > "$log" 2>&1 &
services=$!
mlflow_started="$(mktemp)"
mlflow_log="$(mktemp)"
bash scripts/mlflow.sh start --started-file "$mlflow_started" > "$mlflow_log" 2>&1 &
mlflow=$!
cleanup() {
    wait "$services" 2>/dev/null || true
    wait "$mlflow" 2>/dev/null || true
    if [ -s "$started" ]; then bash scripts/services.sh stop; fi
    if [ -s "$mlflow_started" ]; then bash scripts/mlflow.sh stop; fi
    rm -f "$started" "$log" "$mlflow_started" "$mlflow_log"
}
trap cleanup EXIT
swift build
if ! wait "$services"; then
    cat "$log" >&2
    echo "test.sh: SeaweedFS did not start (see above); the S3 tests need it" >&2
    exit 1
fi
cat "$log"
if ! wait "$mlflow"; then
    cat "$mlflow_log" >&2
    echo "test.sh: MLflow did not start (see above); the tracking tests need it" >&2
    exit 1
fi
cat "$mlflow_log"
swift test --parallel
