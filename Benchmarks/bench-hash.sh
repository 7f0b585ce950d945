#!/usr/bin/env bash
# Hashing benchmarks, side by side with the peer, printing the ratio (issue 2, benchmark 2; docs/cache.md).
#
#   1. First hash of a warm 1 GiB file: `xxhsum -H2` vs `EngineBench hash` (release), with hyperfine.
#      Ratio = xxhsum mean time / EngineBench mean time (≥ 0.8 is the goal; > 1 means faster than xxhsum).
#   2. A 100,000-file directory: cold-index and warm-index directory hash (EngineBench dirhash), and the
#      stat-only walk with opendir/fstatat vs FileManager (EngineBench walk).
#
# Usage: Benchmarks/bench-hash.sh [WORKDIR]   (default /tmp/pipe-bench-hash; needs ~1.1 GiB free)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-/tmp/pipe-bench-hash}"
mkdir -p "$work"
command -v xxhsum >/dev/null || { echo "xxhsum is missing: apt-get install xxhash" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }

(cd "$here" && swift build -c release --product EngineBench >/dev/null)
bench="$here/.build/release/EngineBench"

big="$work/big.bin"
if [ ! -f "$big" ] || [ "$(stat -c %s "$big")" -ne 1073741824 ]; then
    echo "creating $big (1 GiB of random bytes)"
    head -c 1073741824 /dev/urandom > "$big"
fi
cat "$big" > /dev/null    # warm the page cache

peer=$(xxhsum -H2 "$big" | cut -d' ' -f1)
ours=$("$bench" hash "$big" | awk '{print $4}')
[ "$peer" = "$ours" ] || { echo "digest mismatch: xxhsum $peer, EngineBench $ours" >&2; exit 1; }
echo "digests agree: $peer"

hyperfine -N --warmup 2 --runs 15 --export-json "$work/hash.json" \
    -n "xxhsum -H2" "xxhsum -H2 $big" \
    -n "EngineBench hash" "$bench hash $big"
python3 - "$work/hash.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for stat in ("mean", "min"):
    peer, ours = r["xxhsum -H2"][stat], r["EngineBench hash"][stat]
    print(f"{stat:4}  xxhsum -H2 {peer*1000:7.1f} ms = {1/peer:5.2f} GiB/s   EngineBench {ours*1000:7.1f} ms = {1/ours:5.2f} GiB/s"
          f"   throughput ratio {peer/ours:.2f}x  (goal >= 0.80)")
PY

# Interleaved repeated timing: the machine may be shared, so the commands alternate round by round and the
# ratio is taken on medians and minimums of the same rounds (hyperfine above runs each command in one block).
python3 - "$bench" "$big" <<'PY'
import statistics, subprocess, sys, time
bench, big = sys.argv[1], sys.argv[2]
commands = {
    "xxhsum -H2": ["xxhsum", "-H2", big],
    "EngineBench": [bench, "hash", big],
    "EngineBench, 2 readers": [bench, "hash", big, "--readers", "2"],
}
times = {name: [] for name in commands}
for _ in range(21):
    for name, argv in commands.items():
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times[name].append(time.perf_counter() - t)
peer = times["xxhsum -H2"]
for name, ts in times.items():
    med, low = statistics.median(ts), min(ts)
    line = f"{name:24} median {med*1000:6.1f} ms = {1/med:5.2f} GiB/s   min {low*1000:6.1f} ms = {1/low:5.2f} GiB/s"
    if name != "xxhsum -H2":
        line += f"   ratio vs xxhsum: median {statistics.median(peer)/med:.2f}x, min {min(peer)/low:.2f}x"
    print(line)
print("goal: throughput ratio >= 0.80")
PY

tree="$work/tree100k"
if [ ! -d "$tree" ]; then
    echo "creating $tree (100,000 files)"
    "$bench" maketree "$tree" 100000
fi
"$bench" dirhash "$tree" --threads 2
"$bench" walk "$tree"
