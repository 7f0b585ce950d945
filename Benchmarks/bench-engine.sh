#!/usr/bin/env bash
# Benchmarks of the engine's second floor (issue 6), each side by side with DVC on the same pipeline:
#   (A) `pipe repro -f -j 2` vs `pipe repro -f -j 1` on two independent CPU-bound branches (goal: >= 1.8x),
#       and `dvc repro -f` on the same pipeline (DVC runs stages one at a time)
#   (B) no-op `pipe status` vs `dvc status` on 1,000 generated stages after a full repro, plus pipe's scaling
#       over 250 / 500 / 1,000 / 2,000 stages (is it linear?)
#   (C) run-cache restore vs rerun: a seconds-long stage, its param changed back to a value seen before;
#       `pipe repro` (restored from the run cache) vs `pipe repro --no-run-cache`, and the same with DVC
#   (R) full `pipe repro -j 2` of the (B) generator's 250 / 500 / 1,000 / 2,000 trivial stages, from scratch:
#       is repro linear in the number of stages? With PIPE_BEFORE=/path/to/an/older/pipe both binaries are
#       timed, interleaved size by size (same load), with their ratio.
# (A) also times the two branch commands run by the shell alone, one after the other and at once: the ratio
# of those two is the best any scheduler can reach on this machine at this load. (A) and (C) interleave their
# commands round by round (a drifting background load hits all alike) and report same-round ratios; (B) uses
# hyperfine.
# The branch stages do real CPU work (chained SHA-256 in python3), never sleep. The machine may be shared: the
# load average is printed before and after each benchmark, and every figure comes with its spread.
# Needs: hyperfine, git, python3 -m pip install dvc, and a release build of pipe (this script builds it).
# Usage: bash Benchmarks/bench-engine.sh [A] [B] [C] [R]  (default: A B C)
#   ROUNDS=7000000 (SHA-256 rounds per branch stage in A and C, ~3 s of one core), RUNS=5 (rounds
#   for A and C), STAGES=1000 (B), SCALING="250 500 1000 2000" (B and R, pipe only), REPEAT=3 (R: runs per size
#   and binary), PIPE_BEFORE (R), KEEP=1 keeps the scratch directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-7000000}"
runs="${RUNS:-5}"
nstages="${STAGES:-1000}"
scaling="${SCALING:-250 500 1000 2000}"
which_benches="${*:-A B C}"
repeat="${REPEAT:-3}"
command -v hyperfine >/dev/null || { echo "hyperfine is required" >&2; exit 2; }
source "$root/Benchmarks/peers.sh"

load() { echo "   load average (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores -- $1"; }

# ratio JSON SLOW FAST: mean ratio of two hyperfine results and the ratio of the extremes (a spread).
ratio() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
slow, fast = results[sys.argv[2]], results[sys.argv[3]]
for r in (slow, fast):
    print(f"   {r['command']:<34} mean {r['mean']:8.3f} s  sd {r['stddev'] or 0:6.3f}  min {r['min']:8.3f}  max {r['max']:8.3f}  ({len(r['times'])} runs)")
print(f"   => '{sys.argv[3]}' is {slow['mean'] / fast['mean']:.2f}x faster than '{sys.argv[2]}' "
      f"(worst/best pairing {slow['min'] / fast['max']:.2f}x .. {slow['max'] / fast['min']:.2f}x)")
PY
}

# interleave JSON RUNS NAME PREPARE CMD [NAME PREPARE CMD ...]: one warm-up round, then RUNS rounds, each round
# running every command once in turn (after its PREPARE, untimed), so a background load that drifts over minutes
# hits all commands alike. Writes hyperfine-shaped JSON (plus the per-round times) for `ratio`/`paired`.
interleave() {
    python3 - "$@" <<'PY'
import json, resource, subprocess, sys, time
out, runs, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
specs = [rest[i:i + 3] for i in range(0, len(rest), 3)]
times = {name: [] for name, _, _ in specs}
cpu = {name: [] for name, _, _ in specs}
def sh(cmd):
    subprocess.run(["bash", "-c", cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for round_ in range(runs + 1):
    for name, prepare, cmd in specs:
        if prepare: sh(prepare)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        sh(cmd)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if round_ == 0: continue                      # warm-up
        times[name].append(wall)
        cpu[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
results = []
for name, _, cmd in specs:
    t = times[name]; mean = sum(t) / len(t)
    sd = (sum((x - mean) ** 2 for x in t) / (len(t) - 1)) ** 0.5 if len(t) > 1 else 0
    results.append({"command": name, "mean": mean, "stddev": sd, "min": min(t), "max": max(t), "times": t,
                    "cpu_mean": sum(cpu[name]) / len(cpu[name])})
json.dump({"results": results}, open(out, "w"))
PY
}

# paired JSON SLOW FAST: from an `interleave` file, the per-round ratios SLOW/FAST (same round, same load).
paired() {
    python3 - "$1" "$2" "$3" <<'PY'
import json, statistics, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
slow, fast = results[sys.argv[2]], results[sys.argv[3]]
ratios = sorted(a / b for a, b in zip(slow["times"], fast["times"]))
for r in (slow, fast):
    print(f"   {r['command']:<36} mean {r['mean']:7.3f} s  sd {r['stddev']:6.3f}  min {r['min']:7.3f}  max {r['max']:7.3f}  cpu {r['cpu_mean']:6.2f} s  ({len(r['times'])} runs)")
print(f"   => '{sys.argv[3]}' is {statistics.median(ratios):.2f}x faster than '{sys.argv[2]}' "
      f"(median of {len(ratios)} same-round ratios; range {ratios[0]:.2f}x .. {ratios[-1]:.2f}x; ratio of means {slow['mean'] / fast['mean']:.2f}x)")
PY
}

init_repo() { # $1 dir, $2 pipe|dvc
    mkdir -p "$1" && cd "$1"
    git init -q . && git config user.email bench@example.com && git config user.name bench
    if [ "$2" = dvc ]; then dvc init -q && dvc config core.analytics false && dvc config core.autostage false; fi
}

pipeline_file() { [ "$1" = dvc ] && echo dvc.yaml || echo pipeline.yaml; }

# The CPU-bound work of a branch stage: ROUNDS chained SHA-256 digests, then SIZE bytes of output.
write_work_py() {
    cat > work.py <<'PY'
import hashlib, sys
name, seed, rounds, size, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
h = hashlib.sha256(f"{name}:{seed}".encode()).digest()
for _ in range(rounds):
    h = hashlib.sha256(h).digest()
data = bytearray()
while len(data) < size:
    h = hashlib.sha256(h).digest()
    data += h
with open(out, "wb") as f:
    f.write(bytes(data[:size]))
PY
}

if [[ " $which_benches " == *" A "* ]]; then
    echo "== (A) two independent CPU-bound branches (each ~${rounds} SHA-256 rounds), forced repro"
    for kind in pipe dvc; do
        init_repo "$work/A-$kind" "$kind"
        write_work_py
        printf 'rounds: %s\n' "$rounds" > params.yaml
        cat > "$(pipeline_file "$kind")" <<'YAML'
stages:
  left:
    cmd: python3 work.py left 1 ${rounds} 1000000 left.bin
    deps: [work.py]
    params: [rounds]
    outs: [left.bin]
  right:
    cmd: python3 work.py right 1 ${rounds} 1000000 right.bin
    deps: [work.py]
    params: [rounds]
    outs: [right.bin]
  join:
    cmd: cat left.bin right.bin | sha256sum > joined.txt
    deps: [left.bin, right.bin]
    outs: [joined.txt]
YAML
        if [ "$kind" = dvc ]; then dvc repro -q >/dev/null; else "$PIPE" repro >/dev/null; fi
        cd - >/dev/null
    done
    load "before (A)"
    interleave "$work/A.json" "$runs" \
        "pipe repro -f -j 1" "" "$PIPE -C $work/A-pipe repro -f -j 1" \
        "pipe repro -f -j 2" "" "$PIPE -C $work/A-pipe repro -f -j 2" \
        "dvc repro -f" "" "cd $work/A-dvc && dvc repro -f -q" \
        "shell: branches one after the other" "" \
            "cd $work/A-pipe && python3 work.py left 1 $rounds 1000000 /dev/null && python3 work.py right 1 $rounds 1000000 /dev/null" \
        "shell: branches at once (& wait)" "" \
            "cd $work/A-pipe && { python3 work.py left 1 $rounds 1000000 /dev/null & python3 work.py right 1 $rounds 1000000 /dev/null & wait; }"
    load "after (A)"
    paired "$work/A.json" "pipe repro -f -j 1" "pipe repro -f -j 2"
    echo "   the ceiling on this machine at this load (the same two commands, no engine):"
    paired "$work/A.json" "shell: branches one after the other" "shell: branches at once (& wait)"
    paired "$work/A.json" "dvc repro -f" "pipe repro -f -j 2"
    # Load-independent check of the scheduler: the sum of the stage times pipe reports ("done in X s") over the
    # wall time. ~1 when stages run one at a time, ~2 when both branches overlap whole, whatever the CPU share.
    echo "   concurrency (sum of pipe's per-stage times / wall time), 3 runs each:"
    for j in 1 2 1 2 1 2; do
        t0=$(date +%s.%N); out=$("$PIPE" -C "$work/A-pipe" repro -f -j "$j" 2>&1); t1=$(date +%s.%N)
        python3 -c "import re,sys; s=sum(map(float, re.findall(r'done in ([0-9.]+)s', sys.argv[1]))); w=float(sys.argv[3])-float(sys.argv[2]); print(f'     -j {sys.argv[4]}: wall {w:6.2f} s, stages {s:6.2f} s, concurrency {s / w:4.2f}')" "$out" "$t0" "$t1" "$j"
    done
fi

# make_wide REPO KIND N: N stages in 10 independent chains, each stage a real dep (the previous out of its
# chain, or a source file), a param and an out; then a full repro.
make_wide() {
    gen_wide "$1" "$2" "$3"
    if [ "$2" = dvc ]; then dvc repro -q >/dev/null; else "$PIPE" repro -j 2 >/dev/null; fi
    cd - >/dev/null
}

# gen_wide REPO KIND N: make_wide's repository without the repro (leaves the shell in REPO).
gen_wide() {
    init_repo "$1" "$2"
    mkdir -p src outs
    for c in $(seq 0 9); do printf 'source %s\n' "$c" > "src/c$c.txt"; done
    { for c in $(seq 0 9); do printf 'k%s: %s\n' "$c" "$c"; done; } > params.yaml
    python3 - "$3" > "$(pipeline_file "$2")" <<'PY'
import sys
n = int(sys.argv[1])
print("stages:")
for i in range(n):
    chain = i % 10
    dep = f"src/c{chain}.txt" if i < 10 else f"outs/s{i - 10:05d}.txt"
    print(f"  s{i:05d}:")
    print(f"    cmd: cp {dep} outs/s{i:05d}.txt")
    print(f"    deps: [{dep}]")
    print(f"    params: [k{chain}]")
    print(f"    outs: [outs/s{i:05d}.txt]")
PY
}

if [[ " $which_benches " == *" B "* ]]; then
    echo "== (B) no-op status on ${nstages} stages (10 chains; real deps, params and outs), after a full repro"
    start=$(date +%s); make_wide "$work/B-pipe" pipe "$nstages"; echo "   pipe repro of ${nstages} stages: $(( $(date +%s) - start )) s"
    start=$(date +%s); make_wide "$work/B-dvc" dvc "$nstages"; echo "   dvc repro of ${nstages} stages: $(( $(date +%s) - start )) s"
    "$PIPE" -C "$work/B-pipe" status | tail -1
    (cd "$work/B-dvc" && dvc status | tail -1)
    load "before (B)"
    hyperfine -N --warmup 2 --runs 10 --export-json "$work/B.json" \
        -n "pipe status" "$PIPE -C $work/B-pipe status" \
        -n "dvc status" "bash -c 'cd $work/B-dvc && dvc status -q'" >/dev/null
    load "after (B)"
    ratio "$work/B.json" "dvc status" "pipe status"
    echo "   pipe status scaling (mean of 10 runs each):"
    for n in $scaling; do
        [ "$n" = "$nstages" ] && d="$work/B-pipe" || { d="$work/B-pipe-$n"; make_wide "$d" pipe "$n"; }
        hyperfine -N --warmup 2 --runs 10 --export-json "$work/B-$n.json" "$PIPE -C $d status" >/dev/null
        python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; n=int(sys.argv[2]); print(f'     {n:5d} stages: {r[\"mean\"]*1000:7.1f} ms (sd {r[\"stddev\"]*1000:5.1f})  {r[\"mean\"]*1e6/n:6.1f} us/stage')" "$work/B-$n.json" "$n"
    done
fi

if [[ " $which_benches " == *" C "* ]]; then
    echo "== (C) run-cache restore vs rerun: a ~${rounds}-round stage with a 20 MB output, param changed back to a value seen before"
    for kind in pipe dvc; do
        init_repo "$work/C-$kind" "$kind"
        write_work_py
        printf 'seed: 1\nrounds: %s\n' "$rounds" > params.yaml
        cat > "$(pipeline_file "$kind")" <<'YAML'
stages:
  heavy:
    cmd: python3 work.py heavy ${seed} ${rounds} 20000000 model.bin
    deps: [work.py]
    params: [seed, rounds]
    outs: [model.bin]
YAML
        for seed in 1 2; do   # both configurations are in the run cache afterwards; the workspace is at seed 2
            printf 'seed: %s\nrounds: %s\n' "$seed" "$rounds" > params.yaml
            if [ "$kind" = dvc ]; then dvc repro -q >/dev/null; else "$PIPE" repro >/dev/null; fi
        done
        cd - >/dev/null
    done
    set_seed() { echo "printf 'seed: $2\\nrounds: $rounds\\n' > $work/C-$1/params.yaml"; }
    # Each timed command switches seed 2 -> 1 and reproduces; the prepare step puts seed 2 back (restored
    # from the run cache, so it is quick).
    "$PIPE" -C "$work/C-pipe" repro >/dev/null
    bash -c "$(set_seed pipe 1)"; out=$("$PIPE" -C "$work/C-pipe" repro); echo "   pipe says: $(echo "$out" | grep -m1 'run cache' || echo "$out" | head -1)"
    bash -c "$(set_seed dvc 1)"; out=$(cd "$work/C-dvc" && dvc repro); echo "   dvc says:  $(echo "$out" | grep -m1 -i 'cached' || echo "$out" | head -1)"
    load "before (C)"
    interleave "$work/C.json" "$runs" \
        "pipe repro (run-cache restore)" "$(set_seed pipe 2) && $PIPE -C $work/C-pipe repro" \
            "$(set_seed pipe 1) && $PIPE -C $work/C-pipe repro" \
        "pipe repro --no-run-cache" "$(set_seed pipe 2) && $PIPE -C $work/C-pipe repro" \
            "$(set_seed pipe 1) && $PIPE -C $work/C-pipe repro --no-run-cache" \
        "dvc repro (run-cache restore)" "$(set_seed dvc 2) && cd $work/C-dvc && dvc repro -q" \
            "$(set_seed dvc 1) && cd $work/C-dvc && dvc repro -q" \
        "dvc repro --no-run-cache" "$(set_seed dvc 2) && cd $work/C-dvc && dvc repro -q" \
            "$(set_seed dvc 1) && cd $work/C-dvc && dvc repro -q --no-run-cache"
    load "after (C)"
    paired "$work/C.json" "pipe repro --no-run-cache" "pipe repro (run-cache restore)"
    paired "$work/C.json" "dvc repro --no-run-cache" "dvc repro (run-cache restore)"
    paired "$work/C.json" "dvc repro (run-cache restore)" "pipe repro (run-cache restore)"
fi

if [[ " $which_benches " == *" R "* ]]; then
    echo "== (R) full repro -j 2 of N trivial stages (the (B) generator), from scratch; ${repeat} runs per size and binary"
    bins="after=$PIPE"
    [ -n "${PIPE_BEFORE:-}" ] && bins="before=$PIPE_BEFORE $bins"
    load "before (R)"
    for n in $scaling; do
        gen_wide "$work/R-$n" pipe "$n"; cd - >/dev/null
        for r in $(seq 1 "$repeat"); do
            for b in $bins; do   # interleaved: each round times every binary once, one after the other
                name="${b%%=*}"; exe="${b#*=}"
                rm -rf "$work/R-$n/.cache" "$work/R-$n/pipe.lock" "$work/R-$n/outs" "$work/R-$n/.gitignore"
                mkdir -p "$work/R-$n/outs"
                /usr/bin/time -f "%e %U %S" -o "$work/R-time" "$exe" -C "$work/R-$n" repro -j 2 >/dev/null
                echo "$n $name $(cat "$work/R-time")" >> "$work/R.txt"
            done
        done
    done
    load "after (R)"
    python3 - "$work/R.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    n, name, wall, user, sys_ = line.split()
    rows.setdefault((int(n), name), []).append((float(wall), float(user) + float(sys_)))
names = sorted({k[1] for k in rows}, key=lambda x: x != "before")
for n in sorted({k[0] for k in rows}):
    cells = []
    for name in names:
        runs = rows.get((n, name), [])
        if not runs: continue
        wall = statistics.median(w for w, _ in runs); cpu = statistics.median(c for _, c in runs)
        cells.append(f"{name}: wall {wall:7.2f} s (min {min(w for w, _ in runs):6.2f}), cpu {cpu:6.2f} s, {wall * 1000 / n:5.2f} ms/stage")
    line = f"   {n:5d} stages  " + "  |  ".join(cells)
    if len(names) == 2 and all((n, x) in rows for x in names):
        b = statistics.median(w for w, _ in rows[(n, "before")]); a = statistics.median(w for w, _ in rows[(n, "after")])
        line += f"  => {b / a:.2f}x"
    print(line)
PY
fi
