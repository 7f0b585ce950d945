#!/usr/bin/env bash
# Runs V and W of docs/training.md: re-weight SFT's label rows, then retrain sft → dpo → merge → evaluate on the
# shipped outputs of a finished `pipe repro`, in a copy, and print the figures the table holds.
#
#   bash scripts/sft-label-repeats.sh OUT K imm      # every immediate record's label row written K times (run V: 3)
#   bash scripts/sft-label-repeats.sh OUT K value    # label rows of records decided by a measured value, K times (run W: 3)
#
# Needs: this checkout after `pipe repro` (data/split, models/base present) and `swift build -c release`.
# OUT: a new directory for the copy (its own data/, models/, reports/); the checkout itself is not touched.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$1" k="$2" mode="$3"
case "$mode" in imm|value) ;; *) echo "mode must be imm or value, got $mode" >&2; exit 2 ;; esac
[ -e "$out" ] && { echo "$out exists; give a new directory" >&2; exit 2; }
mkdir -p "$out"
(cd "$root" && tar --exclude=./.build --exclude=./.cache --exclude=./.git -cf - .) | tar -C "$out" -xf -
cd "$out"
chmod -R u+w data models reports
python3 - "$k" "$mode" <<'PY'
import json, sys
k, mode = int(sys.argv[1]), sys.argv[2]
lines = open('data/split/sft.jsonl').read().splitlines(True)
rows = [json.loads(l) for l in lines]
def findings(i): return i < len(rows) and 'list the clinical findings' in rows[i]['prompt']
def quotes_value(c): return any(w[:1].isdigit() for w in c.replace('<|im_end|>', '').split(' '))
out = []
for i, (line, r) in enumerate(zip(lines, rows)):
    out.append(line)
    if findings(i): continue
    if mode == 'imm' and r['label'] == 'immediate': out.extend([line] * (k - 1))
    if mode == 'value' and findings(i + 1) and quotes_value(rows[i + 1]['completion']): out.extend([line] * (k - 1))
open('data/split/sft.jsonl', 'w').write(''.join(out))
print('sft rows', len(out))
PY
for stage in sft dpo merge evaluate; do
    /usr/bin/time -f "$stage %e s" "$root/.build/release/$stage" > "log_$stage.txt" 2>&1 || { tail "log_$stage.txt"; exit 1; }
    tail -1 "log_$stage.txt"
done
python3 - <<'PY'
import json
d = json.load(open('reports/evaluate.json'))
print('| model | test acc. (op.) / under-triage (bias) | test argmax acc. / under-triage | pref. acc. | hand-written acc. (op.) / missed | hand-written argmax acc. / missed |')
for m in ['sft', 'dpo']:
    v = d[m]; a = v['argmax']; h = v['handwritten']
    print('| %s | %.3f / %.3f (%.2f) | %.3f / %.3f | %.3f | %.3f / %d | %.3f / %d |' % (
        m, v['accuracy'], v['under_triage_rate'], v['operating_point']['immediate_bias'], a['accuracy'],
        a['under_triage_rate'], v['preference_accuracy'], h['accuracy'], h['missed_immediate'],
        h['argmax']['accuracy'], h['argmax']['missed_immediate']))
PY
