#!/usr/bin/env bash
# Render benchmarks: the fixed cost of rendering a one-cell note next to plain python3 and
# jupyter nbconvert, the cost of each further cell, and `make render` with a cold and a warm
# cell cache. Needs the release build (`swift build -c release`) and hyperfine.
# Usage: bench/render/run.sh   (results also in $RESULTS, default /tmp/noterun-bench/render)
. "$(dirname "$0")/../common.sh" render

# --- Startup: one cell, three ways -------------------------------------------------------
printf 'print(sum(range(10)))\n' > one.py
printf '# One\n\n```python\nprint(sum(range(10)))\n```\n' > one.md
"$python" - <<'PY'
import json
cell = {"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [],
        "source": ["print(sum(range(10)))"]}
notebook = {"cells": [cell], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
            "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}
json.dump(notebook, open("one.ipynb", "w"))
PY

venv=${JUPYTER_VENV:-/tmp/jupvenv}
if [ ! -x "$venv/bin/jupyter-nbconvert" ]; then
  echo "creating $venv for the nbconvert reference" >&2
  "$python" -m venv "$venv" && "$venv/bin/pip" install -q nbconvert nbclient ipykernel jupytext >&2 \
    || echo "could not create $venv" >&2
fi
nbconvert=()
if [ -x "$venv/bin/jupyter-nbconvert" ]; then
  nbconvert=(-n "jupyter nbconvert --execute"
    "$venv/bin/jupyter-nbconvert --to html --execute one.ipynb --output-dir $work/nb")
else
  echo "jupyter nbconvert reference skipped: no venv with nbconvert at $venv" >&2
fi

hyperfine -N --warmup 3 --min-runs 20 --export-markdown "$results/startup.md" --export-json "$results/startup.json" \
  -n "noterun render (python3 on PATH)" "$noterun render one.md -o $work/x --no-cache" \
  -n "noterun render --python REAL" "$noterun render one.md -o $work/x --no-cache --python $python" \
  -n "python3 one.py (shim)" "python3 one.py" \
  -n "python one.py (real binary)" "$python one.py" \
  "${nbconvert[@]}"

# --- Per-cell overhead of render: 100 (and 1000) trivial cells against 1 -------------------
"$python" - <<'PY'
cells = lambda n: "# Cells\n\n" + "".join(f"```python\nx = {i}\n```\n\n" for i in range(n))
for count in (1, 100, 1000):
    open(f"cells-{count}.md", "w").write(cells(count))
PY
hyperfine -N --warmup 3 --min-runs 20 --export-markdown "$results/render-cells.md" \
  --export-json "$results/render-cells.json" \
  -n "render 1 cell" "$noterun render cells-1.md -o $work/x --no-cache --python $python" \
  -n "render 100 cells" "$noterun render cells-100.md -o $work/x --no-cache --python $python" \
  -n "render 1000 cells" "$noterun render cells-1000.md -o $work/x --no-cache --python $python"

# --- make render: the project's notes, release build, cold and warm cell cache --------------
cd "$root"
hyperfine -N --min-runs 10 --export-markdown "$results/make-render.md" --export-json "$results/make-render.json" \
  --prepare "rm -rf $work/cache" \
  -n "render Notes, cold cache" "$noterun render Notes -o $work/output --cache-dir $work/cache"
hyperfine -N --warmup 2 --min-runs 10 --export-markdown "$results/make-render-warm.md" \
  --export-json "$results/make-render-warm.json" \
  -n "render Notes, warm cache" "$noterun render Notes -o $work/output --cache-dir $work/cache"

"$python" "$root/bench/check/per-cell.py" "$results/render-cells.json"
