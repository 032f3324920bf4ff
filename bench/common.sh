# The set-up every benchmark script shares; source it with the benchmark's name:
#   . "$(dirname "$0")/../common.sh" NAME
# It sets $root, $noterun (the release build), $results (default /tmp/noterun-bench/NAME),
# $python (the real interpreter, so a pyenv shim's ~0.1 s per start does not blur the
# figures), enters a temporary folder removed on exit, and records the machine.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
noterun="$root/.build/release/noterun"
results=${RESULTS:-/tmp/noterun-bench/$1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$noterun" ] || { echo "build first: swift build -c release" >&2; exit 1; }
mkdir -p "$results"
cd "$work"

python=$(python3 -c 'import sys; print(sys.executable)')
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(uname -sr), $("$python" --version), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$results/machine.txt"
