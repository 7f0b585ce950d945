# Sourced by the benchmarks whose peers are Python: `bench_venv MODULE…` makes sure the shared virtualenv
# .build/bench-venv exists and imports every MODULE (installing from PyPI what is missing), then prints its python.
bench_venv() {
    local venv root missing=() module
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    venv="$root/.build/bench-venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
    for module in "$@"; do
        "$venv/bin/python" -c "import $module" 2>/dev/null || missing+=("$module")
    done
    if ((${#missing[@]})); then "$venv/bin/python" -m pip install -q "${missing[@]}" >&2; fi
    echo "$venv/bin/python"
}
