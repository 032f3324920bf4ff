#!/bin/sh
# Runs the kernel's unit tests and `noterun check Notes` under every supported Python that is
# present (3.10 to 3.13): `python3.1x` on PATH, else the newest pyenv build of that version.
# A missing version is skipped with a notice; finding none at all is a failure.
# Usage: scripts/test-pythons.sh path/to/noterun
set -eu
noterun=${1:?usage: scripts/test-pythons.sh path/to/noterun}
pyenv_versions="${PYENV_ROOT:-$HOME/.pyenv}/versions"
found=0
for minor in 10 11 12 13; do
    python=""
    for candidate in $(ls -d "$pyenv_versions"/3."$minor".* 2>/dev/null | sort -t. -k3 -n -r); do
        if [ -x "$candidate/bin/python3" ]; then python="$candidate/bin/python3"; break; fi
    done
    if [ -z "$python" ] && command -v "python3.$minor" >/dev/null 2>&1; then
        python=$(command -v "python3.$minor")
    fi
    if [ -z "$python" ]; then
        echo "notice: Python 3.$minor not found (PATH, $pyenv_versions): skipped"
        continue
    fi
    found=$((found + 1))
    echo "== Python 3.$minor: $python"
    "$python" -m unittest discover -s Tests/kernel -t Tests/kernel
    "$noterun" check Notes --python "$python"
done
if [ "$found" -eq 0 ]; then
    echo "error: none of Python 3.10, 3.11, 3.12, 3.13 was found" >&2
    exit 1
fi
