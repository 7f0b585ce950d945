# Sourced by the benchmarks that run side by side with DVC (bench-status.sh, bench-engine.sh), after they set
# `root`: builds the release `pipe` (PIPE), installs DVC when it is missing, and makes a scratch directory (work)
# that is removed on exit unless KEEP=1.
# PIPE=path/to/pipe uses that binary as it is (no build), e.g. to benchmark while another build holds .build.
if [ -z "${PIPE:-}" ]; then
    (cd "$root" && swift build -c release --product pipe >/dev/null)
    PIPE="$root/.build/release/pipe"
fi
command -v dvc >/dev/null || python3 -m pip install -q dvc
work="$(mktemp -d)"
if [ "${KEEP:-0}" = 1 ]; then echo "scratch: $work"; else trap 'rm -rf "$work"' EXIT; fi
