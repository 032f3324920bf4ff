#!/usr/bin/env bash
# Installs the system packages noterun needs when they are missing, so `make render` and
# `make test` work on a fresh machine. Usage: ensure-deps.sh [build|test]
set -euo pipefail

need=()
[ -f /usr/include/cmark-gfm.h ] || need+=(libcmark-gfm-dev)
[ -f /usr/include/cmark-gfm-core-extensions.h ] || need+=(libcmark-gfm-extensions-dev)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ "${1:-build}" = test ]; then
  # The watch verb's browser test drives a real headless Chromium.
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi

[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
