#!/usr/bin/env bash
# README's main command: install what is missing, build pipe and every stage (release), run the shipped pipeline.
# Extra arguments go to `pipe repro` (e.g. `bash scripts/repro.sh --dry`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release
.build/release/pipe repro "$@"
