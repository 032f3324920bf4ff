#!/usr/bin/env bash
# Check benchmarks: the cost of each further cell (100 trivial cells against 1) without a
# cache, with a cold cache (every result written) and a warm one (nothing run), and
# `check Notes` with one and two jobs. Needs the release build and hyperfine.
# Usage: bench/check/run.sh   (results also in $RESULTS, default /tmp/noterun-bench/check)
. "$(dirname "$0")/../common.sh" check

"$python" - <<'PY'
cells = lambda n: "# Cells\n\n" + "".join(f"```python\nx = {i}\n```\n\n" for i in range(n))
open("cells-1.md", "w").write(cells(1))
open("cells-100.md", "w").write(cells(100))
open("cells-1000.md", "w").write(cells(1000))
PY

check="$noterun check --python $python"
hyperfine -N --warmup 3 --min-runs 20 --export-json "$results/cells-nocache.json" \
  --export-markdown "$results/cells-nocache.md" \
  -n "check 1 cell, no cache" "$check cells-1.md --no-cache" \
  -n "check 100 cells, no cache" "$check cells-100.md --no-cache" \
  -n "check 1000 cells, no cache" "$check cells-1000.md --no-cache"
hyperfine -N --warmup 3 --min-runs 20 --export-json "$results/cells-cold.json" \
  --export-markdown "$results/cells-cold.md" --prepare "rm -rf $work/cache" \
  -n "check 1 cell, cold cache" "$check cells-1.md --cache-dir $work/cache" \
  -n "check 100 cells, cold cache" "$check cells-100.md --cache-dir $work/cache"
hyperfine -N --warmup 3 --min-runs 20 --export-json "$results/cells-warm.json" \
  --export-markdown "$results/cells-warm.md" \
  -n "check 1 cell, warm cache" "$check cells-1.md --cache-dir $work/cache" \
  -n "check 100 cells, warm cache" "$check cells-100.md --cache-dir $work/cache"

cd "$root"
hyperfine -N --warmup 1 --min-runs 10 --export-json "$results/notes-nocache.json" \
  --export-markdown "$results/notes-nocache.md" \
  -n "check Notes -j1, no cache" "$check Notes -j 1 --no-cache" \
  -n "check Notes -j2, no cache" "$check Notes -j 2 --no-cache"
hyperfine -N --warmup 2 --min-runs 10 --export-json "$results/notes-warm.json" \
  --export-markdown "$results/notes-warm.md" \
  -n "check Notes -j1, warm cache" "$check Notes -j 1 --cache-dir $work/notes-cache" \
  -n "check Notes -j2, warm cache" "$check Notes -j 2 --cache-dir $work/notes-cache"

for mode in nocache cold warm; do "$python" "$root/bench/check/per-cell.py" "$results/cells-$mode.json"; done
