#!/usr/bin/env bash
# Runs every benchmark; figures go to BENCHMARKS.md by hand, with the date and machine.
set -euo pipefail
cd "$(dirname "$0")"
for script in render/run.sh check/run.sh trace/run.sh watch/run.sh; do
  echo "== bench/$script"
  bash "$script"
done
