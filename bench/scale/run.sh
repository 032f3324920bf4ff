#!/usr/bin/env bash
# Scale: `check` of a generated collection of 1,000 notes x 20 cells with -j 2 and -j 1 (no
# cache): wall time, peak RSS of noterun and of its kernels, and whether the two reports
# are the same. Needs the release build.
# Usage: bench/scale/run.sh [NOTES]   (results also in $RESULTS, default /tmp/noterun-bench/scale)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
noterun="$root/.build/release/noterun"
results=${RESULTS:-/tmp/noterun-bench/scale}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$noterun" ] || { echo "build first: swift build -c release" >&2; exit 1; }
mkdir -p "$results"
python=$(python3 -c 'import sys; print(sys.executable)')
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), $("$python" --version)," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$results/machine.txt"

"$python" "$root/bench/scale/generate.py" "$work/notes" "${1:-1000}" 20
cd "$work"
for jobs in 2 1; do
  "$python" "$root/bench/scale/measure.py" "$results/report-j$jobs.txt" -- \
    "$noterun" check notes --no-cache --python "$python" -j "$jobs" | tee -a "$results/summary.txt"
done
# The last line is the summary with the run's duration.
if diff <(sed '$d' "$results/report-j2.txt") <(sed '$d' "$results/report-j1.txt") > /dev/null; then
  echo "reports of -j 2 and -j 1: identical ($(tail -1 "$results/report-j1.txt"))" | tee -a "$results/summary.txt"
else
  echo "reports of -j 2 and -j 1 DIFFER" | tee -a "$results/summary.txt"
fi
