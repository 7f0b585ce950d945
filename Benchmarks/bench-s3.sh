#!/usr/bin/env bash
# The remotes issue's benchmark, side by side on the same local SeaweedFS (scripts/services.sh), one run:
#   push and pull of one 1 GiB file and of a 10,000-file directory
#     pipe push / pipe pull        vs  dvc push / dvc pull (dvc-s3)  vs  aws s3 cp / aws s3 sync (awscli)
#   and a no-op push of an in-sync cache (goal: pipe < 0.2 s).
# Goals (issue 12): >= 5x faster than DVC on the 10,000 files, >= 1x aws s3 sync on both.
# Each tool starts from an empty prefix (push) and an empty cache or directory (pull); all three read the same
# bytes. Wall seconds per step are printed, then the ratios.
# Usage: bash Benchmarks/bench-s3.sh   SIZE_MB=1024 FILES=10000 ROUNDS=1 WHAT="many big" KEEP=0 (KEEP=1 keeps the scratch)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
size_mb="${SIZE_MB:-1024}"
files="${FILES:-10000}"
rounds="${ROUNDS:-1}"
source "$root/Benchmarks/peers.sh"
python3 -c "import dvc_s3" 2>/dev/null || python3 -m pip install -q dvc-s3
command -v aws >/dev/null || python3 -m pip install -q awscli

bash "$root/scripts/services.sh" start >/dev/null
set -a; source <(bash "$root/scripts/services.sh" env); set +a
export AWS_ACCESS_KEY_ID="$PIPE_S3_ACCESS_KEY_ID" AWS_SECRET_ACCESS_KEY="$PIPE_S3_SECRET_ACCESS_KEY"
export AWS_DEFAULT_REGION="$PIPE_S3_REGION" AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent
bucket="$PIPE_S3_BUCKET"
endpoint="$PIPE_S3_ENDPOINT"
aws_s3() { aws --endpoint-url "$endpoint" s3 "$@" --only-show-errors; }

seconds() { # runs "$@" quietly; prints its wall time in seconds (3 decimals)
    local t0 t1
    # Every step starts with no dirty pages pending: otherwise the step right after a 1 GiB upload (SeaweedFS
    # writing its volume) pays for the kernel's writeback of the previous tool's bytes, and the order decides.
    sync
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
    t1=$(date +%s.%N)
    python3 -c "print(f'{$t1 - $t0:.3f}')"
}

# The data, once: one big random file and a directory of small random files (1-4 KiB).
data="$work/data"
mkdir -p "$data/many"
head -c "$((size_mb * 1024 * 1024))" /dev/urandom > "$data/big.bin"
python3 - "$data/many" "$files" <<'PY'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
for i in range(n):
    d = os.path.join(root, f"{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05d}.txt"), "wb") as f:
        f.write(rng.randbytes(rng.randint(1024, 4096)))
PY

pipe_repo() { # $1 dir, $2 what (big|many), $3 prefix: a repo whose one stage copies the data in, pushed to $3
    mkdir -p "$1" && cd "$1"
    git init -q . && git config user.email b@b && git config user.name b
    if [ "$2" = big ]; then
        printf 'stages:\n  get:\n    cmd: cp %s/big.bin big.bin\n    outs: [big.bin]\n' "$data" > pipeline.yaml
    else
        printf 'stages:\n  get:\n    cmd: cp -r %s/many many\n    outs: [many]\n' "$data" > pipeline.yaml
    fi
    "$PIPE" repro >/dev/null
    "$PIPE" remote add -d s3 "s3://$bucket/$3" >/dev/null
    "$PIPE" remote modify s3 endpoint_url "$endpoint" >/dev/null
    cd - >/dev/null
}

dvc_repo() { # $1 dir, $2 what, $3 prefix
    mkdir -p "$1" && cd "$1"
    git init -q . && git config user.email b@b && git config user.name b
    dvc init -q && dvc config core.analytics false
    if [ "$2" = big ]; then cp "$data/big.bin" big.bin; dvc add -q big.bin; else cp -r "$data/many" many; dvc add -q many; fi
    dvc remote add -q -d s3 "s3://$bucket/$3"
    dvc remote modify s3 endpointurl "$endpoint"
    cd - >/dev/null
}

clone_for_pull() { # $1 source repo, $2 new dir: what a git clone would give (the files git does not ignore)
    mkdir -p "$2"
    (cd "$1" && git ls-files --others --cached --exclude-standard -z | xargs -0 -I{} cp --parents {} "$2")
    (cd "$2" && git init -q .)
}

ratio() { python3 -c "a, b = $1, $2; print(f'{b / a:.1f}x' if a > 0 else 'n/a')"; }

for round in $(seq 1 "$rounds"); do
    for what in ${WHAT:-many big}; do
        label="$what"; [ "$what" = big ] && label="${size_mb} MiB file" || label="$files files"
        p="pipe-$what-$round-$RANDOM"; d="dvc-$what-$round-$RANDOM"; a="aws-$what-$round-$RANDOM"
        pipe_repo "$work/$p" "$what" "$p"
        dvc_repo "$work/$d" "$what" "$d"
        pipe_push=$(cd "$work/$p" && seconds "$PIPE" push)
        pipe_noop=$(cd "$work/$p" && seconds "$PIPE" push)
        dvc_push=$(cd "$work/$d" && seconds dvc push -q)
        if [ "$what" = big ]; then
            aws_push=$(seconds aws_s3 cp "$data/big.bin" "s3://$bucket/$a/big.bin")
        else
            aws_push=$(seconds aws_s3 sync "$data/many" "s3://$bucket/$a/many")
        fi
        clone_for_pull "$work/$p" "$work/$p-clone"
        clone_for_pull "$work/$d" "$work/$d-clone"
        pipe_pull=$(cd "$work/$p-clone" && seconds "$PIPE" pull)
        dvc_pull=$(cd "$work/$d-clone" && seconds dvc pull -q)
        mkdir -p "$work/$a-down"
        if [ "$what" = big ]; then
            aws_pull=$(seconds aws_s3 cp "s3://$bucket/$a/big.bin" "$work/$a-down/big.bin")
            cmp "$data/big.bin" "$work/$p-clone/big.bin"
        else
            aws_pull=$(seconds aws_s3 sync "s3://$bucket/$a/many" "$work/$a-down/many")
            diff -r "$data/many" "$work/$p-clone/many" >/dev/null
        fi
        echo "round $round, $label:"
        echo "  push  pipe ${pipe_push}s  dvc ${dvc_push}s  aws ${aws_push}s   pipe vs dvc $(ratio "$pipe_push" "$dvc_push"), vs aws $(ratio "$pipe_push" "$aws_push")"
        echo "  pull  pipe ${pipe_pull}s  dvc ${dvc_pull}s  aws ${aws_pull}s   pipe vs dvc $(ratio "$pipe_pull" "$dvc_pull"), vs aws $(ratio "$pipe_pull" "$aws_pull")"
        echo "  no-op push (in sync): pipe ${pipe_noop}s"
        # The scratch stays until exit: on this machine's journal-less ext4, creating a file scans past every inode
        # freed in the last 5-300 s (ext4's recently_deleted check), so deleting one round's 30,000 files made the
        # next round's first puller pay for them (a pull of 10,000 files measured 5.8 s, then 11.6 s).
    done
done
