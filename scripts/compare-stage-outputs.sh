#!/usr/bin/env bash
# Do two commits' stage executables produce the same outputs? Builds the stages of REV (release, in a scratch
# worktree) and of this checkout, runs the shipped pipeline at a tiny size with each (same `pipe`), and prints
# SAME or DIFF per output of pipe.lock (evaluate_latency.json, timing only, always differs).
# Usage: bash scripts/compare-stage-outputs.sh REV      (e.g. e06870b, the last commit before PipeBasics)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rev="${1:?usage: compare-stage-outputs.sh REV}"
work="$(mktemp -d)"
trap 'git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
stages="download normalize clean anonymize tokenize split pretrain sft dpo merge evaluate"
git -C "$root" worktree add -q --detach "$work/old" "$rev"
for p in $stages; do (cd "$work/old" && swift build -c release --product "$p" >/dev/null); done
for p in $stages; do (cd "$root" && swift build -c release --product "$p" >/dev/null); done
(cd "$root" && swift build --product pipe >/dev/null)
for side in new old; do
    mkdir -p "$work/$side-run" && cd "$work/$side-run"
    cp "$root/pipeline.yaml" .
    mkdir -p data/handwritten && cp "$root/data/handwritten/notes.jsonl" data/handwritten/
    cp "$root/Tests/Fixtures/tiny-params.yaml" params.yaml
    if [ "$side" = new ]; then plugins="$root/.build/release"; else plugins="$work/old/.build/release"; fi
    PIPE_PLUGIN_DIR="$plugins" "$root/.build/debug/pipe" repro -j 1 > run.log 2>&1 || { tail run.log; exit 1; }
done
python3 - "$work/new-run/pipe.lock" "$work/old-run/pipe.lock" <<'PY'
import sys, yaml
new, old = (yaml.safe_load(open(p))["stages"] for p in sys.argv[1:3])
for stage, entry in new.items():
    before = {o["path"]: o.get("hash") for o in old[stage].get("outs", [])}
    for out in entry.get("outs", []):
        print(("SAME " if before.get(out["path"]) == out.get("hash") else "DIFF ") + stage + " " + out["path"])
PY
