# Shared by scripts/services.sh and scripts/mlflow.sh (sourced): the lifecycle of one test server started with
# setsid, whose process group is its pid, with a pid file, a data directory and an env file.

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_ready NAME PID_FILE LOG STARTED_FILE MESSAGE READY_COMMAND…: polls READY_COMMAND (up to 120 s) while the
# server lives; on success writes STARTED_FILE (when named) and prints MESSAGE, else prints the log's tail.
wait_ready() {
    local name="$1" pid_file="$2" log="$3" started_file="$4" message="$5"
    shift 5
    for _ in $(seq 1 600); do
        if "$@"; then
            [ -n "$started_file" ] && echo "$$" > "$started_file"
            echo "$message"
            return 0
        fi
        kill -0 "$(cat "$pid_file")" 2>/dev/null || break
        sleep 0.2
    done
    echo "$name did not become ready; its log:" >&2
    tail -n 30 "$log" >&2 || true
    return 1
}

# stop_daemon PID_FILE DATA_DIR_FILE ENV_FILE: ends the server's process group (TERM, then KILL after 5 s),
# deletes the data directory DATA_DIR_FILE names, and the env file.
stop_daemon() {
    local pid_file="$1" data_dir_file="$2" env_file="$3"
    if [ -f "$pid_file" ]; then
        local pid
        pid="$(cat "$pid_file")"
        if kill -0 "$pid" 2>/dev/null; then
            kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 -- "-$pid" 2>/dev/null || true
        fi
        rm -f "$pid_file"
    fi
    if [ -f "$data_dir_file" ]; then
        rm -rf "$(cat "$data_dir_file")"
        rm -f "$data_dir_file"
    fi
    rm -f "$env_file"
}
