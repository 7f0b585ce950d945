#!/usr/bin/env bash
# A real single-node Slurm cluster (Debian's slurmctld, slurmd, slurm-client, munge) for the Slurm tests and
# benchmark: munge key, a minimal slurm.conf without cgroup plugins or accounting, daemons started by hand
# (package installs start nothing here), ready when `sinfo` shows the node idle.
#
#   bash scripts/slurm.sh start [--started-file F]   start unless running (writes F when it did start it)
#   bash scripts/slurm.sh stop                        stop the daemons and delete their state
#   bash scripts/slurm.sh status                      exit 0 when the node is up (idle, mixed or allocated)
#
# Needs root (SlurmUser=root; munged runs as root with --force). State lives in $PIPE_SLURM_DIR (default
# .build/slurm): slurm.conf, munge key and socket, spool, logs, pids. The daemons read SLURM_CONF; so do the
# client commands when it is exported: the tests and benchmark export it themselves from this directory, and
# /etc/slurm/slurm.conf is pointed at it when that file is absent, so `sbatch`/`squeue` work in any shell.
set -euo pipefail
cd "$(dirname "$0")/.."
STATE="${PIPE_SLURM_DIR:-$PWD/.build/slurm}"
CONF="$STATE/slurm.conf"
SOCKET="$STATE/munge/munge.socket.2"
mkdir -p "$STATE"
export SLURM_CONF="$CONF"

node_up() {  # sinfo answers and the node is in a state that runs jobs
    [ -f "$CONF" ] || return 1
    local state
    state="$(timeout 5 sinfo -h -N -o '%T' 2>/dev/null | head -n 1)" || return 1
    case "$state" in idle*|mixed*|allocated*|completing*) return 0 ;; *) return 1 ;; esac
}

pid_alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

running() { pid_alive munged && pid_alive slurmctld && pid_alive slurmd && node_up; }

install_packages() {
    command -v sbatch >/dev/null 2>&1 && command -v slurmctld >/dev/null 2>&1 \
        && command -v slurmd >/dev/null 2>&1 && command -v munged >/dev/null 2>&1 && return 0
    local SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq slurmctld slurmd slurm-client munge
}

write_config() {
    local cpus mem
    cpus="$(nproc)"
    # RealMemory below the machine's (MB): slurmd refuses a node that has less than it declares.
    mem=$(( $(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
    mkdir -p "$STATE/spool/ctld" "$STATE/spool/d" "$STATE/log" "$STATE/munge"
    cat > "$CONF.tmp" <<CONF
# Written by scripts/slurm.sh: one node, no cgroups, no accounting daemon.
ClusterName=pipe
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# A job without --mem gets this per CPU, not the whole node (which would run one job at a time).
DefMemPerCPU=256
MpiDefault=none
ReturnToService=2
MinJobAge=600
SchedulerParameters=sched_interval=1
SlurmctldPort=${PIPE_SLURMCTLD_PORT:-6817}
SlurmdPort=${PIPE_SLURMD_PORT:-6818}
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    mv "$CONF.tmp" "$CONF"
    if [ -d /etc/slurm ] && [ -w /etc/slurm ] && { [ ! -e /etc/slurm/slurm.conf ] || [ -L /etc/slurm/slurm.conf ]; }; then
        ln -sfn "$CONF" /etc/slurm/slurm.conf
    fi
}

start_munge() {
    pid_alive munged && return 0
    if [ ! -s "$STATE/munge/munge.key" ]; then
        mungekey -c -f -k "$STATE/munge/munge.key" >/dev/null
        chmod 0400 "$STATE/munge/munge.key"
    fi
    chmod 0755 "$STATE/munge"
    # 9>&-: the daemon must not inherit start's lock (a held fd 9 made a second `start` wait forever).
    munged --force --key-file="$STATE/munge/munge.key" --socket="$SOCKET" \
        --pid-file="$STATE/munged.pid" --log-file="$STATE/log/munged.log" \
        --seed-file="$STATE/munge/munged.seed" < /dev/null > /dev/null 2>&1 9>&-
}

start() {
    local started_file=""
    if [ "${1:-}" = "--started-file" ]; then started_file="$2"; fi
    exec 9>"$STATE/lock"
    flock 9   # a second `start` waits for the first, then finds it running
    if running; then
        echo "Slurm already running: $(sinfo -h -N -o '%N %T %c CPUs %m MB')"
        return 0
    fi
    install_packages
    stop_daemons
    write_config
    start_munge
    # Both daemons daemonize themselves; they write their pid files.
    slurmctld -f "$CONF" < /dev/null > "$STATE/log/slurmctld.out" 2>&1 9>&-
    slurmd -f "$CONF" -N localhost < /dev/null > "$STATE/log/slurmd.out" 2>&1 9>&-
    for _ in $(seq 1 150); do
        if pid_alive slurmctld && pid_alive slurmd && node_up; then
            [ -n "$started_file" ] && echo "$$" > "$started_file"
            echo "Slurm started: $(sinfo -h -N -o '%N %T %c CPUs %m MB') (SLURM_CONF=$CONF)"
            return 0
        fi
        sleep 0.2
    done
    echo "slurm.sh: the node did not become idle; sinfo and the logs:" >&2
    sinfo -N >&2 || true
    tail -n 20 "$STATE/log/slurmctld.log" "$STATE/log/slurmd.log" "$STATE/log/munged.log" >&2 || true
    stop
    return 1
}

stop_daemons() {  # slurmd, then slurmctld, then munged; each by its pid file
    local name pid
    for name in slurmd slurmctld munged; do
        [ -f "$STATE/$name.pid" ] || continue
        pid="$(cat "$STATE/$name.pid")"
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$STATE/$name.pid"
    done
}

stop() {
    stop_daemons
    rm -rf "$STATE/spool" "$STATE/log"
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) stop ;;
    status) running ;;
    *) echo "usage: $0 start [--started-file F] | stop | status" >&2; exit 2 ;;
esac
