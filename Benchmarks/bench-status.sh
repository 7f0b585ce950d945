#!/usr/bin/env bash
# Benchmarks (1) and (3) of the engine issue, side by side with DVC on the same pipelines:
#   (1) no-op `pipe status` vs `dvc status` on a 12-stage pipeline (goal: >= 30x faster)
#   (3) `pipe status` vs `dvc status` over an unchanged 100,000-file directory dependency (goal: >= 10x faster)
# Needs: hyperfine, python3 -m pip install dvc, and a release build of pipe (this script builds it).
# Usage: bash Benchmarks/bench-status.sh [NFILES]
#   PARTS="1 3" (default) picks the benchmarks; ROUNDS=N (default 1) repeats (3) N times on the same trees, to
#   show the spread on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
nfiles="${1:-100000}"
parts="${PARTS:-1 3}"
rounds="${ROUNDS:-1}"
source "$root/Benchmarks/peers.sh"

make_repo() { # $1 dir, $2 "pipe"|"dvc"
    mkdir -p "$1" && cd "$1"
    git init -q . && git config user.email b@b && git config user.name b
    printf 'seed\n' > input.txt
    printf 'n: 1\n' > params.yaml
    local file="pipeline.yaml"; [ "$2" = dvc ] && file="dvc.yaml"
    { echo "stages:"
      prev=input.txt
      for i in $(seq -w 1 12); do
        echo "  s$i:"
        echo "    cmd: cp $prev out$i.txt"
        echo "    deps: [$prev]"
        echo "    params: [n]"
        echo "    outs: [out$i.txt]"
        prev="out$i.txt"
      done
    } > "$file"
    if [ "$2" = dvc ]; then dvc init -q && dvc config core.analytics false && dvc repro -q >/dev/null; else "$PIPE" repro >/dev/null; fi
    cd - >/dev/null
}

if [[ " $parts " == *" 1 "* ]]; then
echo "== (1) no-op status, 12-stage pipeline"
make_repo "$work/p1" pipe
make_repo "$work/d1" dvc
hyperfine -N --warmup 3 --runs 20 --export-json "$work/b1.json" \
    -n "pipe status" "$PIPE -C $work/p1 status" \
    -n "dvc status" "bash -c 'cd $work/d1 && dvc status -q'" | sed -n '/Summary/,$p'
fi
[[ " $parts " == *" 3 "* ]] || exit 0

echo "== (3) status over an unchanged ${nfiles}-file directory dependency"
for kind in pipe dvc; do
    d="$work/${kind}3"; mkdir -p "$d/big" && cd "$d"
    git init -q . && git config user.email b@b && git config user.name b
    python3 - "$nfiles" <<'PY'
import os, sys
n = int(sys.argv[1])
for i in range(n):
    sub = f"big/d{i // 1000:03d}"
    if i % 1000 == 0: os.makedirs(sub, exist_ok=True)
    with open(f"{sub}/f{i:06d}.txt", "w") as f: f.write(f"file {i}\n")
PY
    file="pipeline.yaml"; [ "$kind" = dvc ] && file="dvc.yaml"
    printf 'stages:\n  count:\n    cmd: find big -type f | wc -l > count.txt\n    deps: [big]\n    outs: [count.txt]\n' > "$file"
    if [ "$kind" = dvc ]; then dvc init -q && dvc config core.analytics false && dvc repro -q >/dev/null; else "$PIPE" repro >/dev/null; fi
    cd - >/dev/null
done
# The floor: the same readdir + fstatat(AT_SYMLINK_NOFOLLOW) over the tree in C, one thread, nothing else.
cat > "$work/floor.c" <<'C'
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
static long walk(int fd) {
    DIR *d = fdopendir(fd); struct dirent *e; struct stat st; long n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        if (e->d_type == DT_DIR) n += walk(openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY));
        else if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) n++;
    }
    closedir(d);
    return n;
}
int main(int argc, char **argv) { return walk(open(argv[1], O_RDONLY | O_DIRECTORY)) > 0 ? 0 : 1; }
C
floor=()
if cc -O2 -o "$work/floor" "$work/floor.c" 2>/dev/null; then floor=(-n "floor: C readdir+fstatat" "$work/floor $work/pipe3/big"); fi
# The fingerprint of `big` is remembered only once its newest file is older than the racy window (2 s):
# the warmup runs of each round cover that, exactly as a second `status` after a `repro` would.
for round in $(seq 1 "$rounds"); do
    echo "-- round $round/$rounds ($(cut -d' ' -f1-3 /proc/loadavg) load)"
    hyperfine -N --warmup 2 --runs 10 --export-json "$work/b3.json" \
        -n "pipe status" "$PIPE -C $work/pipe3 status" \
        -n "dvc status" "bash -c 'cd $work/dvc3 && dvc status -q'" "${floor[@]}" | grep -E 'Benchmark|Time|Range'
    python3 - "$work/b3.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
pipe, dvc = r["pipe status"], r["dvc status"]
print(f"  ratio dvc/pipe: {dvc['mean'] / pipe['mean']:.1f}x (means), {dvc['min'] / pipe['min']:.1f}x (minimums)")
if "floor: C readdir+fstatat" in r:
    f = r["floor: C readdir+fstatat"]
    print(f"  pipe reaches {100 * f['mean'] / pipe['mean']:.0f}% of the floor's speed (means), {100 * f['min'] / pipe['min']:.0f}% (minimums)")
PY
done
