#!/usr/bin/env bash
# Checks `pipe` built without its default `Network` trait (what README's main command builds; docs/build.md):
# in its own scratch build directory, so the tests' .build/debug is untouched. A tiny pipeline reproduces, a
# directory remote round-trips, and an S3 remote, `repro --track` and `exp push-tracking` each exit 2 with one
# line naming the build that has them.
# Usage: bash scripts/check-lite-build.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$root/.build"
(cd "$root" && swift build --disable-default-traits --product pipe --scratch-path .build/lite >"$root/.build/lite.log" 2>&1) \
    || { cat "$root/.build/lite.log" >&2; exit 1; }
pipe="$root/.build/lite/debug/pipe"
if ldd "$pipe" | grep -qi -e nio -e asynchttp; then echo "FAIL: the lite pipe links the HTTP stack" >&2; exit 1; fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q repo && cd repo
printf 'stages:\n  make:\n    cmd: echo hello > out.txt\n    outs: [out.txt]\n' > pipeline.yaml
"$pipe" repro >/dev/null
expect_exit() { # $1 expected exit status, $2 text stderr must hold, rest: the pipe arguments
    local want="$1" text="$2"; shift 2
    local status=0
    "$pipe" "$@" >/dev/null 2>"$work/err" || status=$?
    if [ "$status" != "$want" ] || { [ -n "$text" ] && ! grep -q -- "$text" "$work/err"; }; then
        echo "FAIL: pipe $*: exit $status, stderr: $(cat "$work/err")" >&2; exit 1
    fi
    echo "ok: pipe $* -> exit $status"
}
"$pipe" remote add -d shelf "$work/shelf" >/dev/null
expect_exit 0 "" push
rm -rf .cache out.txt
expect_exit 0 "" pull
[ "$(cat out.txt)" = "hello" ] || { echo "FAIL: pulled out.txt differs" >&2; exit 1; }
"$pipe" remote add bucket s3://bucket/prefix >/dev/null
expect_exit 2 "swift build -c release --product pipe" push -r bucket
expect_exit 2 "swift build -c release --product pipe" repro --track
expect_exit 2 "swift build -c release --product pipe" exp push-tracking
echo "ok: pipe without the Network trait"
