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
for product in pipe download normalize clean anonymize tokenize split pretrain sft dpo merge evaluate; do
    swift build -c release --disable-default-traits --product "$product"
done
.build/release/pipe repro "$@"
