#!/usr/bin/env bash
# /v1/triage under bounded load on 127.0.0.1, side by side (issue 14):
#   triage-serve (dynamic batching, --max-batch 32) | triage-serve --max-batch 1 | transformers (PyTorch CPU) behind
#   a minimal Python HTTP server doing the same scoring (Benchmarks/serve_transformers.py),
# each at concurrency 1, 8 and 64 with wrk (requests/s, p50, p99), one server at a time. Before loading them, the
# script checks that both stacks return the same label scores for the same notes (so they do the same work).
# Then chat decoding on both triage-serve configurations (Benchmarks/serve_chat_load.py): generated tokens/s for 16
# concurrent completions, continuous batching vs one sequence per step.
#
# MODEL=models/merged REPORT=reports/evaluate.json DURATION=10s ROUNDS=1 bash Benchmarks/bench-serve.sh
# Needs wrk (apt-get install wrk). The Python peer runs from a virtualenv under .build/bench-venv
# (torch, transformers: created on first use); PEER=0 skips it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
model="${MODEL:-models/merged}"
report="${REPORT:-reports/evaluate.json}"
duration="${DURATION:-10s}"
rounds="${ROUNDS:-1}"
command -v wrk >/dev/null || { echo "bench-serve: wrk is missing (apt-get install wrk)" >&2; exit 2; }
swift build -c release --product triage-serve >&2
serve="$root/.build/release/triage-serve"
source "$root/Benchmarks/bench-venv.sh"
if [ "${PEER:-1}" = 1 ]; then py="$(bench_venv torch transformers safetensors)"; fi
bias="$(python3 -c "import json,sys; print(json.load(open('$report'))['merged']['operating_point']['immediate_bias'])")"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT

# Waits (bounded: 120 s) until GET $1 answers.
wait_ready() {
  for _ in $(seq 1 1200); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "bench-serve: $1 never became ready" >&2; return 1
}
stop() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; }

# Prints "rps p50_ms p99_ms" for one wrk run at concurrency $2 against port $1.
load() {
  local threads=$(( $2 < 2 ? 1 : 2 ))
  wrk -t"$threads" -c"$2" -d"$duration" --latency -s Benchmarks/serve-load.lua "http://127.0.0.1:$1" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
p50, p99 = ms("50%"), ms("99%")
print(f"{rps:.1f} {p50:.2f} {p99:.2f}" + (f" non2xx={errors.group(1)}" if errors else ""))'
}

notes=('{"text":"58 year old man with crushing chest pain radiating to the left arm for 40 minutes, sweating, BP 90/60.","lang":"en"}'
       '{"text":"Patiente avec une toux depuis une semaine, pas de fièvre, respire normalement.","lang":"fr"}')
scores_of() { curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$1/v1/triage"; }

declare -A swift_scores
results=()
chat=()
run_server() {  # name port command...
  local name="$1" port="$2"; shift 2
  "$@" >/dev/null 2>&1 &
  pid=$!
  wait_ready "http://127.0.0.1:$port/health"
  local i=0
  for note in "${notes[@]}"; do
    local s; s="$(scores_of "$port" "$note")"
    if [ "$name" = "swift" ]; then swift_scores[$i]="$s"; fi
    if [ "$name" = "transformers" ]; then
      python3 -c 'import json,sys; a=json.loads(sys.argv[1])["scores"]; b=json.loads(sys.argv[2])["scores"]
d=max(abs(a[k]-b[k]) for k in a); print(f"same scores check (note {sys.argv[3]}): max |Δ log p| = {d:.2e}", file=sys.stderr)
sys.exit(0 if d < 1e-3 else 1)' "${swift_scores[$i]}" "$s" "$i" || { echo "bench-serve: the peer scores differently" >&2; exit 1; }
    fi
    i=$((i + 1))
  done
  for c in 1 8 64; do
    for r in $(seq 1 "$rounds"); do
      results+=("$name $c $(load "$port" "$c")")
      echo "  $name c=$c round $r: ${results[-1]#* * }" >&2
    done
  done
  if [ "$name" != "transformers" ]; then   # chat decode: 16 concurrent sampled completions of 64 tokens, 4 rounds
    for r in $(seq 1 "$rounds"); do
      read -r tps tokens seconds <<<"$(python3 Benchmarks/serve_chat_load.py "$port" 16 64 4)"
      chat+=("$name $tps $tokens $seconds")
      echo "  $name chat round $r: $tps tokens/s" >&2
    done
  fi
  stop
}

run_server swift 18101 "$serve" --model "$model" --evaluation-report "$report" --port 18101 --max-batch 32
run_server batch1 18102 "$serve" --model "$model" --evaluation-report "$report" --port 18102 --max-batch 1
if [ "${PEER:-1}" = 1 ]; then
  run_server transformers 18103 "$py" Benchmarks/serve_transformers.py "$model" 18103 "$bias"
fi

echo
echo "| server | concurrency | requests/s | p50 ms | p99 ms |"
echo "| --- | --- | --- | --- | --- |"
for row in "${results[@]}"; do
  read -r name c rps p50 p99 rest <<<"$row"
  echo "| $name | $c | $rps | $p50 | $p99 |${rest:+ $rest}"
done
echo
echo "| server | chat: 16 concurrent completions × 64 tokens | generated tokens/s |"
echo "| --- | --- | --- |"
for row in "${chat[@]}"; do
  read -r name tps tokens seconds <<<"$row"
  echo "| $name | $tokens tokens in $seconds s | $tps |"
done
