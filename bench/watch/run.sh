#!/usr/bin/env bash
# Save-to-reload latency of `noterun watch` (see latency.py). Builds the release binary first.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product noterun >&2
exec python3 bench/watch/latency.py .build/release/noterun "$@"
