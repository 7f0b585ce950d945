#!/usr/bin/env bash
# The training stages at Qwen3-0.6B's published shape (issue 16, "Real Qwen3 shape"), side by side with PyTorch + PEFT.
#
#   1. Benchmarks/qwen3_shape.py generates a Qwen3ForCausalLM at Qwen3-0.6B's config.json (28 layers, hidden 1024,
#      16/8 heads of head_dim 128, vocab 151936, tied embeddings) with seeded random weights (transformers, bf16
#      safetensors as published) and the pipeline's own tokenizer (data/tokenized/tokenizer.json, vocab 4096: the real
#      Qwen3 tokenizer is not downloadable here, and every id it gives is < 151936).
#   2. The Swift path runs the release stage executables by hand (StageKit's PIPE_PARAMS, scratch directory):
#      pretrain (checkpoint: the generated directory) → sft (QLoRA: NF4 base, LoRA r 16 / alpha 32 / dropout 0.05 on
#      the 7 projections, batch 1 × SEQ_LEN tokens, gradient checkpointing) → dpo → merge → evaluate (LIMIT records).
#   3. The peer: the same safetensors in transformers (f32, CPU, torch.set_num_threads(2)) with PEFT LoRA of the same
#      rank, alpha, dropout and modules, AdamW, the same rows cut to the same SEQ_LEN tokens, completion-only labels,
#      the same number of steps; then again with transformers' gradient checkpointing, in the first
#      PEER_CHECKPOINTING_ROUNDS (1) rounds only (its steps take ~4x pipe's; 0 skips it).
# Per training step: tokens/s (SEQ_LEN ÷ step wall time, step 1 left out on both sides as warm-up); per process: peak
# RSS (/usr/bin/time -v "Maximum resident set size", load included), and for the peer its largest RSS after a step
# (loading the bf16 file into f32 peaks above what training holds). ROUNDS rounds of SFT and the peer, alternated.
#
# ROUNDS=2 STEPS=4 SEQ_LEN=128 bash Benchmarks/bench-qwen3-shape.sh
# Needs /usr/bin/time. The peer runs from .build/bench-venv (created on first use: torch, transformers, safetensors as
# for bench-serve.sh, plus peft — the LoRA peer — whose install also pulls accelerate). KEEP=1 keeps the scratch dir.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${ROUNDS:-2}"
steps="${STEPS:-4}"
seq_len="${SEQ_LEN:-128}"
limit="${LIMIT:-4}"
[ -x /usr/bin/time ] || { echo "bench-qwen3-shape: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
for product in pretrain sft dpo merge evaluate; do swift build -c release --product "$product" >&2; done
bin="$root/.build/release"
source "$root/Benchmarks/bench-venv.sh"
py="$(bench_venv torch transformers safetensors peft)"
helper="$root/Benchmarks/qwen3_shape.py"
work="$(mktemp -d)"
if [ "${KEEP:-0}" = 1 ]; then echo "scratch: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi
mkdir -p "$work/reports"

# Runs "$@" under /usr/bin/time -v (report in $work/$name.time) with its stderr lines timestamped into
# $work/$name.log and its stdout in $work/$name.out; prints its peak RSS in MiB.
timed() {
  local name="$1"; shift
  { /usr/bin/time -v -o "$work/$name.time" "$@" 2>&1 >"$work/$name.out" | "$py" -u -c '
import sys, time
for line in sys.stdin: print(f"{time.monotonic():.3f} {line}", end="", flush=True)' > "$work/$name.log"; } || {
    echo "bench-qwen3-shape: $name failed:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
  awk '/Maximum resident set size/ { printf "%.0f\n", $NF / 1024 }' "$work/$name.time"
}
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/$1.time"; }
# Step times (s) from a stage's timestamped progress lines: the gaps between "step N" lines, N ≥ 2.
stage_steps() {
  grep '"message":"step ' "$work/$1.log" | awk '{ if (n++) printf "%.3f ", $1 - last; last = $1 }'
}

stage() {  # name json-params executable (OPENBLAS_NUM_THREADS, when set, reaches the stages; unset they use 1)
  PIPE_REPO_ROOT="$work" PIPE_PARAMS="$2" timed "$1" "$3"
}

echo "== generating the Qwen3-0.6B-shape checkpoint (seeded random weights)" >&2
"$py" "$helper" generate "$work/ckpt" "$root/data/tokenized/tokenizer.json"
"$py" "$helper" rows "$root/data/tokenized/tokenizer.json" "$root/data/split/sft.jsonl" "$work/sft.jsonl" 64 "$seq_len"
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "== pretrain (checkpoint)" >&2
cd "$work"
pretrain_rss="$(stage pretrain '{"pretrain": {"checkpoint": "ckpt", "output": "models/base"}}' "$bin/pretrain")"

sft_params() {  # output steps
  echo '{"sft": {"base": "models/base", "train": "sft.jsonl", "val": "'"$root"'/data/split/val.jsonl", "output": "'"$1"'",
    "steps": '"$2"', "batch_size": 1, "max_length": '"$seq_len"', "data_parallel": 1, "eval_interval": 0, "val_rows": 1,
    "warmup_steps": 0, "lr": 0.0002, "gradient_checkpointing": true}}'
}
declare -a pipe_rss=() torch_rss=() torch_ckpt_rss=() pipe_steps=() torch_steps=() torch_ckpt_steps=()
declare -a torch_train=() torch_ckpt_train=()
peer() {  # name [GRADIENT_CHECKPOINTING=1]
  local name="$1"; shift
  timed "$name" env "$@" "$py" "$helper" peer "$work/ckpt" "$work/sft.jsonl" "$steps" "$seq_len"
}
for round in $(seq 1 "$rounds"); do
  echo "== round $round: sft (pipe)" >&2
  pipe_rss+=("$(stage "sft-$round" "$(sft_params "models/sft_$round" "$steps")" "$bin/sft")")
  pipe_steps+=("$(stage_steps "sft-$round")")
  echo "   peak RSS ${pipe_rss[-1]} MiB, step times ${pipe_steps[-1]}" >&2
  echo "== round $round: PyTorch + PEFT" >&2
  torch_rss+=("$(peer "torch-$round")")
  torch_steps+=("$(awk 'NR > 1 { printf "%s ", $4 }' "$work/torch-$round.out")")
  torch_train+=("$(awk '$10 > m { m = $10 } END { print m }' "$work/torch-$round.out")")
  echo "   peak RSS ${torch_rss[-1]} MiB (after a step: ${torch_train[-1]}), step times ${torch_steps[-1]}" >&2
  if [ "$round" -le "${PEER_CHECKPOINTING_ROUNDS:-1}" ]; then
    echo "== round $round: PyTorch + PEFT, gradient checkpointing" >&2
    torch_ckpt_rss+=("$(peer "torch-ckpt-$round" GRADIENT_CHECKPOINTING=1)")
    torch_ckpt_steps+=("$(awk 'NR > 1 { printf "%s ", $4 }' "$work/torch-ckpt-$round.out")")
    torch_ckpt_train+=("$(awk '$10 > m { m = $10 } END { print m }' "$work/torch-ckpt-$round.out")")
    echo "   peak RSS ${torch_ckpt_rss[-1]} MiB (after a step: ${torch_ckpt_train[-1]}), step times ${torch_ckpt_steps[-1]}" >&2
  fi
done
mv models/sft_1 models/sft_adapter

echo "== dpo, merge, evaluate (pipe)" >&2
dpo_rss="$(stage dpo '{"dpo": {"base": "models/base", "adapter": "models/sft_adapter", "pairs": "'"$root"'/data/split/dpo.jsonl",
  "output": "models/dpo_adapter", "steps": 2, "batch_size": 1, "max_length": '"$seq_len"', "data_parallel": 1,
  "warmup_steps": 0, "gradient_checkpointing": true, "mine": {"records": 0}}}' "$bin/dpo")"
merge_rss="$(stage merge '{"merge": {"base": "models/base", "adapter": "models/dpo_adapter", "output": "models/merged",
  "samples": "'"$root"'/data/split/val.jsonl", "sample_count": 2, "max_length": '"$seq_len"'}}' "$bin/merge")"
evaluate_rss="$(stage evaluate '{"evaluate": {"base": "models/base", "sft_adapter": "models/sft_adapter",
  "dpo_adapter": "models/dpo_adapter", "merged": "models/merged", "test": "'"$root"'/data/split/test.jsonl",
  "curves": [], "limit": '"$limit"', "preference_pairs": 4, "max_length": '"$seq_len"', "max_under_triage": null,
  "handwritten": null}}' "$bin/evaluate")"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

"$py" - "$seq_len" "$rounds" <<PY
import statistics, sys
seq, rounds = int(sys.argv[1]), int(sys.argv[2])
def runs(text): return [[float(x) for x in r.split()] for r in text.strip().splitlines()]
def ints(text): return [int(x) for x in text.split()]
sides = [("pipe (NF4 + LoRA, checkpointed)", runs("""$(printf '%s\n' "${pipe_steps[@]}")"""), ints("${pipe_rss[*]}"), []),
         ("PyTorch + PEFT (f32 + LoRA)", runs("""$(printf '%s\n' "${torch_steps[@]}")"""), ints("${torch_rss[*]}"),
          ints("${torch_train[*]}"))]
if "${torch_ckpt_rss[*]:-}".strip():
    sides.append(("PyTorch + PEFT, checkpointed", runs("""$(printf '%s\n' "${torch_ckpt_steps[@]:-}")"""),
                  ints("${torch_ckpt_rss[*]:-}"), ints("${torch_ckpt_train[*]:-}")))
print(f"\nSFT at Qwen3-0.6B shape, batch 1 x {seq} tokens; tokens/s over steps 2.. of each run; peak RSS per process")
print(f"{'':33} {'runs':>4} {'tokens/s range':>15} {'median':>7} {'peak RSS MiB':>13} {'RSS after a step':>17}")
summary = {}
for name, steps, peak, after in sides:
    rates = [seq / s for run in steps for s in run]
    summary[name] = (statistics.median(rates), max(peak))
    rss_after = f"{min(after)}–{max(after)}" if after else "(= peak)"
    print(f"{name:33} {len(steps):>4} {min(rates):>7.1f}–{max(rates):<7.1f} {statistics.median(rates):>7.1f} "
          f"{min(peak):>6}–{max(peak):<6} {rss_after:>17}")
pipe = summary[sides[0][0]]
for name, _, _, after in sides[1:]:
    other = summary[name]
    print(f"pipe / {name}: tokens/s {pipe[0] / other[0]:.2f}x (medians), peak memory {pipe[1] / other[1]:.2f}x"
          + (f" ({pipe[1] / max(after):.2f}x of its RSS after a step)" if after else ""))
PY
echo "other stages (pipe): pretrain $(wall pretrain), ${pretrain_rss} MiB; dpo (2 steps) $(wall dpo), ${dpo_rss} MiB;" \
     "merge $(wall merge), ${merge_rss} MiB; evaluate ($limit records) $(wall evaluate), ${evaluate_rss} MiB"
echo "load average (1/5/15 min) at start: $load_start; at end: $load_end; OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset}"
