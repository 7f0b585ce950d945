#!/usr/bin/env bash
# README's test command: set up, build, run every test. The S3 tests need SeaweedFS: unless it is already
# running (scripts/services.sh), it is started here while the build runs, and stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .build/services
started="$(mktemp)"
log="$(mktemp)"
bash scripts/services.sh start --started-file "$started" > "$log" 2>&1 &
services=$!
cleanup() {
    wait "$services" 2>/dev/null || true
    if [ -s "$started" ]; then bash scripts/services.sh stop; fi
    rm -f "$started" "$log"
}
trap cleanup EXIT
swift build
if ! wait "$services"; then
    cat "$log" >&2
    echo "test.sh: SeaweedFS did not start (see above); the S3 tests need it" >&2
    exit 1
fi
cat "$log"
swift test --parallel
