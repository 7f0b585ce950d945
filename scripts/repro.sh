#!/usr/bin/env bash
# README's main command: install what is missing, build pipe and every stage (release), run the shipped pipeline.
# Extra arguments go to `pipe repro` (e.g. `bash scripts/repro.sh --dry`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Only what the pipeline runs: `pipe` and the stage executables. The server (triage-serve) and its Hummingbird
# stack are left out of this build, and `pipe` is built without its default `Network` trait (S3 remotes, MLflow
# tracking): swift-nio, async-http-client and a second BoringSSL would add 5–6 minutes on 2 cores to a first build
# that `pipe repro` does not need (docs/build.md). `swift build -c release --product pipe` gives the full `pipe`.
#
# `pipe` and the stages share only PipeBasics, and each side spends minutes in single-threaded whole-module
# compiles (PipeCore; TriageData, Triage): `pipe` is built in its own scratch directory beside the stages' build so
# the two overlap on the cores, then placed next to the stages (where it finds them, and where README's commands
# run it). A later `swift build -c release --product pipe` simply replaces it.
mkdir -p .build
swift build -c release --disable-default-traits --product pipe --scratch-path .build/pipe-cli \
    >.build/pipe-cli.log 2>&1 &
pipe_build=$!
for product in download normalize clean anonymize tokenize split pretrain sft dpo merge evaluate; do
    swift build -c release --disable-default-traits --product "$product"
done
wait "$pipe_build" || { cat .build/pipe-cli.log >&2; echo "repro.sh: building pipe failed" >&2; exit 1; }
install -m 755 .build/pipe-cli/release/pipe .build/release/pipe
.build/release/pipe repro "$@"
