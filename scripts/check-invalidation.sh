#!/usr/bin/env bash
# Checks that invalidation of the shipped pipeline is exact (issue 5), without the data: in a scratch clone of this
# checkout, make one edit at a time and ask `pipe lock --check --json` which stages it makes stale.
#   - params.yaml sft.lr changed            -> exactly sft (dpo, merge, evaluate follow as its downstream)
#   - a file of the tensor library edited   -> exactly the five stages that link it
#   - a data stage's source edited          -> exactly that stage
# Usage: bash scripts/check-invalidation.sh [PIPE_BINARY]   (default .build/debug/pipe; run after `swift build`)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pipe="$(cd "$root" && realpath "${1:-.build/debug/pipe}")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/repo"
# The package description (target → source directory, links) is what `pipe` reads to find code deps; reuse the
# checkout's cached copy so the scratch clone needs no SwiftPM resolution.
mkdir -p "$work/repo/.cache"
if [ -f "$root/.cache/code-deps.json" ]; then cp "$root/.cache/code-deps.json" "$work/repo/.cache/"; fi

stale_after() { # prints the sorted names of the stages the edit already applied makes stale
    (cd "$work/repo" && "$pipe" lock --check --json || true) | python3 -c '
import json, sys
report = json.load(sys.stdin)
print(" ".join(sorted(s["name"] for s in report["stages"] if not s["fresh"])))'
}
expect() { # $1 description, $2 expected names (sorted, space-separated)
    local got; got="$(stale_after)"
    if [ "$got" != "$2" ]; then
        echo "FAIL: $1: stale stages are [$got], expected [$2]" >&2; exit 1
    fi
    echo "ok: $1 -> [$got]"
    (cd "$work/repo" && git checkout -q -- . && git clean -qfd -e .cache)
}

[ -z "$(stale_after)" ] || { echo "FAIL: pipe.lock is not fresh before any edit" >&2; exit 1; }
sed -i 's/^\(  lr: \)0\.002\b/\10.001/' "$work/repo/params.yaml"
grep -q '^  lr: 0.001' "$work/repo/params.yaml" || { echo "FAIL: could not edit sft.lr" >&2; exit 1; }
expect "params.yaml sft.lr 0.002 -> 0.001" "sft"

echo "// edited" >> "$work/repo/Sources/Tensors/Core/BLAS.swift"
expect "Sources/Tensors/Core/BLAS.swift edited" "dpo evaluate merge pretrain sft"

echo "// edited" >> "$work/repo/stages/clean/main.swift"
expect "stages/clean/main.swift edited" "clean"

echo "// edited" >> "$work/repo/Sources/TriageData/Cleaning/TextCleaner.swift"
expect "Sources/TriageData/Cleaning/TextCleaner.swift edited (linked by every stage)" \
    "anonymize clean download dpo evaluate merge normalize pretrain sft split tokenize"
echo "invalidation is exact"
