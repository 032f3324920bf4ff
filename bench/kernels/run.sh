#!/usr/bin/env bash
# Warm kernels: what a one-cell note costs as a whole command, and what each further note
# of a batch costs, next to plain python3 running the same cell as a script, jupyter
# nbconvert --execute and nbclient, in one run. Needs the release build and hyperfine; the
# Jupyter references need a venv with nbconvert, nbclient and ipykernel ($JUPYTER_VENV,
# created on first use; benchmark only, never a dependency of noterun).
# Usage: bench/kernels/run.sh   (results also in $RESULTS, default /tmp/noterun-bench/kernels)
. "$(dirname "$0")/../common.sh" kernels

venv=${JUPYTER_VENV:-/tmp/noterun-jupyter-venv}
if [ ! -x "$venv/bin/jupyter-nbconvert" ]; then
  echo "creating $venv for the Jupyter references" >&2
  "$python" -m venv "$venv" && "$venv/bin/pip" install -q nbconvert nbclient ipykernel >&2 \
    || echo "could not create $venv" >&2
fi

# One cell that imports asyncio (the kernel always has it) and prints; 50 notes of it.
"$python" - <<'PY'
import json, os
code = "import asyncio\nprint(sum(range(10)))\n"
open("one.py", "w").write(code)
note = "# One\n\n```python\n" + code + "```\n"
notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
                       "outputs": [], "source": code}],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}
for count in (1, 10, 50):
    for folder in ("notes", "books", "scripts"):
        os.makedirs(f"{folder}-{count}", exist_ok=True)
    for index in range(count):
        open(f"notes-{count}/n{index:02}.md", "w").write(note)
        json.dump(notebook, open(f"books-{count}/n{index:02}.ipynb", "w"))
        open(f"scripts-{count}/n{index:02}.py", "w").write(code)
open("nbclient-run.py", "w").write(
    "import sys, nbformat, nbclient\n"
    "for path in sys.argv[1:]:\n"
    "    nbclient.NotebookClient(nbformat.read(path, as_version=4), kernel_name='python3').execute()\n")
PY

jupyter=()
if [ -x "$venv/bin/jupyter-nbconvert" ]; then
  jupyter=(
    -n "jupyter nbconvert --execute, 1 notebook"
    "$venv/bin/jupyter-nbconvert --to html --execute books-1/n00.ipynb --output-dir $work/nb"
    -n "nbclient (one Python), 1 notebook" "$venv/bin/python nbclient-run.py books-1/n00.ipynb")
else
  echo "Jupyter references skipped: no venv with nbconvert at $venv" >&2
fi

# The interpreter memo is written by the first run (the warm-up), as on any machine after
# its first run.
render="$noterun render --no-cache --python $python -j 1"
hyperfine -N --warmup 3 --min-runs 20 --export-json "$results/one-note.json" \
  --export-markdown "$results/one-note.md" \
  -n "noterun render --no-cache, 1 note" "$render notes-1 -o $work/out" \
  -n "python3 one.py (real binary)" "$python one.py" \
  "${jupyter[@]}"

batch=(
  -n "noterun render, 1 note" "$render notes-1 -o $work/out"
  -n "noterun render, 50 notes" "$render notes-50 -o $work/out"
  -n "python3, 50 scripts (one after the other)" "sh -c 'for f in scripts-50/*.py; do $python \$f; done'"
)
if [ -x "$venv/bin/jupyter-nbconvert" ]; then
  batch+=(-n "nbclient (one Python), 10 notebooks" "$venv/bin/python nbclient-run.py $(echo books-10/*.ipynb)")
fi
hyperfine -N --warmup 2 --min-runs 10 --export-json "$results/batch.json" \
  --export-markdown "$results/batch.md" "${batch[@]}"

"$python" "$root/bench/kernels/summary.py" "$results/one-note.json" "$results/batch.json" | tee "$results/summary.txt"
