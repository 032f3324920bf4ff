#!/usr/bin/env bash
# Trace overhead: one cell of 10,000 tasks x 10 `await asyncio.sleep(0)` (workload.py), run
#   1. by noterun, traced, on the virtual clock (the default),
#   2. by noterun with `clock=real trace=off`,
#   3. as the same script by plain python3 (asyncio.run).
# Prints hyperfine's wall times of the whole commands, then each cell's own time, the
# trace's event count and events per second (summarize.py).
# Needs `swift build -c release` and hyperfine. RUNS=N sets the runs per command (10).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
noterun=$root/.build/release/noterun
# The real binary: a pyenv shim would add 0.1 s to every plain python3 run.
python=$("${NOTERUN_PYTHON:-python3}" -c 'import sys; print(sys.executable)')
runs=${RUNS:-10}
[[ -x $noterun ]] || { echo "run 'swift build -c release' first" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "hyperfine is not installed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/workload.py" "$work/workload.py"
note() {  # note FILE INFO: the workload as the one cell of a note, options in its fence
  { printf '# Trace overhead\n\n```python%s\n' "$2"; cat "$here/workload.py"; printf '```\n'; } >"$1"
}
note "$work/traced.md" ""
note "$work/untraced.md" " clock=real trace=off"
printf '# Empty\n\n```python\npass\n```\n' >"$work/empty.md"

echo "## $(uname -srm), $(nproc) cores, $("$python" --version 2>&1), $(date -u +%Y-%m-%d)"
echo
hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$work/hyperfine.json" \
  -n "noterun traced (virtual clock)" "$noterun check --no-cache --python $python $work/traced.md" \
  -n "noterun clock=real trace=off" "$noterun check --no-cache --python $python $work/untraced.md" \
  -n "python3 workload.py" "$python $work/workload.py" \
  -n "noterun, one empty cell" "$noterun check --no-cache --python $python $work/empty.md"
echo
"$python" "$here/summarize.py" "$noterun" "$python" "$work" "$runs"
