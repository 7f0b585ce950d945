#!/usr/bin/env bash
# A local MLflow tracking server for the tracking tests (and for trying `pipe exp run` against a real MLflow):
# `mlflow server` from PyPI in its own virtualenv, SQLite backend store, artifacts served through the server's
# proxy, on 127.0.0.1 only.
#
#   bash scripts/mlflow.sh start [--started-file F]   start unless running (writes F when it did start it)
#   bash scripts/mlflow.sh stop                        stop it and delete its data
#   bash scripts/mlflow.sh status                      exit 0 when it answers
#   bash scripts/mlflow.sh env                         print the env file (MLFLOW_TRACKING_URI=…)
#   bash scripts/mlflow.sh install                     only install mlflow (CI starts this early: it is slow)
#
# mlflow 3.17.2 is pinned: PyPI lists 3.18.0, but the mlflow-tracing 3.18.0 it requires is not there, so an
# unpinned install fails. The virtualenv ($PIPE_MLFLOW_VENV, default ~/.cache/pipe/mlflow-3.17.2) survives
# checkouts, so only the first install on a machine pays the ~75 s. A free port is chosen from 30000–39999 at
# start; state lives in $PIPE_SERVICES_DIR (default .build/services): mlflow.env, mlflow.pid, mlflow.log; the
# database and artifacts under a temporary directory removed by stop.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/daemon-lib.sh
STATE="${PIPE_SERVICES_DIR:-$PWD/.build/services}"
ENV_FILE="$STATE/mlflow.env"
PID_FILE="$STATE/mlflow.pid"
VERSION="3.17.2"
VENV="${PIPE_MLFLOW_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/pipe/mlflow-$VERSION}"
mkdir -p "$STATE"

answers() {  # the server of the env file answers its health check
    [ -f "$ENV_FILE" ] || return 1
    local uri
    uri="$(sed -n 's/^MLFLOW_TRACKING_URI=//p' "$ENV_FILE")"
    curl -sf -o /dev/null --max-time 2 "$uri/health" 2>/dev/null
}

running() {
    [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null && answers
}

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((30000 + RANDOM % 10000))
        port_free "$port" && { echo "$port"; return 0; }
    done
    echo "mlflow.sh: no free port found in 30000-39999" >&2
    return 1
}

install() {
    mkdir -p "$(dirname "$VENV")"
    exec 8>"$VENV.lock"
    flock 8   # a concurrent install (CI's early one, another checkout) finishes first
    if [ -f "$VENV/.installed" ]; then exec 8>&-; return 0; fi
    rm -rf "$VENV"   # a half-made one from an interrupted install
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q "mlflow==$VERSION"
    touch "$VENV/.installed"
    exec 8>&-
}

start() {
    local started_file=""
    if [ "${1:-}" = "--started-file" ]; then started_file="$2"; fi
    exec 9>"$STATE/mlflow.lock"
    flock 9   # a second `start` waits for the first, then finds it running (mlflow must not inherit fd 9)
    if running; then
        echo "MLflow already running: $(sed -n 's/^MLFLOW_TRACKING_URI=//p' "$ENV_FILE")"
        return 0
    fi
    install
    local port data
    port="$(free_port)"
    data="$(mktemp -d "${TMPDIR:-/tmp}/pipe-mlflow.XXXXXX")"
    (cd "$data" && exec setsid "$VENV/bin/mlflow" server --backend-store-uri "sqlite:///$data/mlflow.db" \
        --artifacts-destination "$data/artifacts" --host 127.0.0.1 --port "$port" --workers 1 \
        > "$STATE/mlflow.log" 2>&1 < /dev/null 8>&- 9>&-) &
    echo $! > "$PID_FILE"
    echo "$data" > "$STATE/mlflow-data-dir"
    echo "MLFLOW_TRACKING_URI=http://127.0.0.1:$port" > "$ENV_FILE.tmp"
    mv "$ENV_FILE.tmp" "$ENV_FILE"
    wait_ready "mlflow.sh: MLflow" "$PID_FILE" "$STATE/mlflow.log" "$started_file" \
        "MLflow started: http://127.0.0.1:$port (env in $ENV_FILE)" answers || { stop; return 1; }
}

stop() { stop_daemon "$PID_FILE" "$STATE/mlflow-data-dir" "$ENV_FILE"; }

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) stop ;;
    status) running ;;
    env) cat "$ENV_FILE" ;;
    install) install ;;
    *) echo "usage: $0 start [--started-file F] | stop | status | env | install" >&2; exit 2 ;;
esac
