#!/usr/bin/env bash
# Overhead of running stages as Slurm jobs (issue 13): N trivial independent stages (default 20) forced to run
# with `pipe repro -f --executor local` and `--executor slurm`, interleaved round by round, on the single-node
# cluster of scripts/slurm.sh (started here unless running). Reports each side's wall time per round, the
# time per stage Slurm adds ((slurm - local) / N) as a range over the rounds, and the same for one stage alone
# (the latency of one submission + polling). The cluster runs as many jobs at once as it has CPUs (nproc).
# Each round also times the floor: the same N commands submitted by a shell loop of `sbatch --wrap`, waited
# for with `squeue` every 50 ms (what Slurm itself takes, without pipe).
# Usage: bash Benchmarks/bench-slurm.sh   RUNS=5 (rounds), STAGES=20, PIPE=path/to/pipe (default: the release
#   build if present, else the debug build), KEEP=1 keeps the scratch directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${RUNS:-5}"
n="${STAGES:-20}"
pipe="${PIPE:-}"
if [ -z "$pipe" ]; then
    if [ -x "$root/.build/release/pipe" ]; then pipe="$root/.build/release/pipe"; else pipe="$root/.build/debug/pipe"; fi
fi
[ -x "$pipe" ] || { echo "no pipe at $pipe: swift build first (or set PIPE)" >&2; exit 2; }
bash "$root/scripts/slurm.sh" start
export SLURM_CONF="${SLURM_CONF:-${PIPE_SLURM_DIR:-$root/.build/slurm}/slurm.conf}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/pipe-bench-slurm.XXXXXX")"
[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$scratch"' EXIT

make_repo() {  # DIR COUNT: COUNT independent stages, each writing one line
    mkdir -p "$1"
    { echo "stages:"; for i in $(seq 1 "$2"); do
        printf '  s%02d:\n    cmd: echo %d > out%02d.txt\n    outs: [out%02d.txt]\n' "$i" "$i" "$i" "$i"; done; } > "$1/pipeline.yaml"
}
make_repo "$scratch/many" "$n"
make_repo "$scratch/one" 1

seconds() {  # DIR EXECUTOR: wall seconds of a forced repro
    local start end
    start=$(date +%s.%N)
    (cd "$1" && "$pipe" repro -f --executor "$2" > "$scratch/last.log" 2>&1) || { cat "$scratch/last.log" >&2; exit 1; }
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}

bare() {  # COUNT: wall seconds of COUNT `sbatch --wrap` jobs, polled every 50 ms until all are over
    local start end ids="" i
    start=$(date +%s.%N)
    for i in $(seq 1 "$1"); do ids="$ids,$(cd "$scratch" && sbatch --parsable -o /dev/null --wrap "echo $i > /dev/null")"; done
    ids="${ids#,}"
    while squeue -h --states=all -j "$ids" -o %T | grep -qvE '^(COMPLETED|FAILED|CANCELLED|TIMEOUT)'; do sleep 0.05; done
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}

echo "pipe: $pipe; cluster: $(sinfo -h -N -o '%N %c CPUs'); load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for dir in many one; do seconds "$scratch/$dir" local > /dev/null; seconds "$scratch/$dir" slurm > /dev/null; done  # warm-up
results="$scratch/results.txt"
: > "$results"
for round in $(seq 1 "$runs"); do
    ml=$(seconds "$scratch/many" local); ms=$(seconds "$scratch/many" slurm)
    ol=$(seconds "$scratch/one" local); os=$(seconds "$scratch/one" slurm)
    mb=$(bare "$n")
    echo "$ml $ms $ol $os $mb" >> "$results"
    echo "   round $round: $n stages local ${ml}s slurm ${ms}s (bare sbatch loop ${mb}s) | 1 stage local ${ol}s slurm ${os}s"
done
python3 - "$results" "$n" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
n = int(sys.argv[2])
many = [(s - l) / n for l, s, _, _, _ in rows]
one = [s - l for _, _, l, s, _ in rows]
over_bare = [s - b for _, s, _, _, b in rows]
med = lambda xs: sorted(xs)[len(xs) // 2]
print(f"=> {n} stages: slurm adds {med(many):.3f} s per stage (median; range {min(many):.3f}..{max(many):.3f} over {len(rows)} rounds)")
print(f"   wall: local {min(r[0] for r in rows):.2f}..{max(r[0] for r in rows):.2f} s, slurm {min(r[1] for r in rows):.2f}..{max(r[1] for r in rows):.2f} s")
print(f"   pipe over the bare sbatch loop: {med(over_bare):+.2f} s for all {n} (range {min(over_bare):+.2f}..{max(over_bare):+.2f})")
print(f"=> 1 stage: slurm adds {med(one):.3f} s (median; range {min(one):.3f}..{max(one):.3f})")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
