#!/usr/bin/env bash
# Installs the system libraries pipe links (idempotent; needs root or sudo on Debian/Ubuntu).
set -euo pipefail
need=()
for pkg in libxxhash-dev libopenblas-dev libyaml-dev pkg-config; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
