#!/usr/bin/env bash
# README's main command: install what is missing, build pipe and every stage (release), run the shipped pipeline.
# Extra arguments go to `pipe repro` (e.g. `bash scripts/repro.sh --dry`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Only what the pipeline runs: `pipe` and the stage executables. The server (triage-serve) and its Hummingbird
# stack are left out of this build: they would add minutes to a first build that the main command does not need.
for product in pipe download normalize clean anonymize tokenize split pretrain sft dpo merge evaluate; do
    swift build -c release --product "$product"
done
.build/release/pipe repro "$@"
