#!/usr/bin/env bash
# Search speed in the browser: renders a collection of 500 notes (8 sections of prose and a
# cell each, cells not run), then times the pages' own search function (page.js, over
# output/noterun-search.js) in headless Chromium for a few queries, 50 rounds each.
# Usage: bench/search/run.sh [NOTES]   (needs a build: swift build -c release, and chromium)
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
noterun="$root/.build/release/noterun"
[ -x "$noterun" ] || noterun="$root/.build/debug/noterun"
count=${1:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/notes" "$count" <<'PY'
import os, random, sys
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder)
random.seed(1)
words = ("event loop task coroutine await future queue lock semaphore timeout cancel gather "
         "shield sleep schedule callback thread executor socket stream reader writer buffer "
         "protocol transport signal process deadline budget trace suspend resume").split()
for n in range(count):
    parts = [f"# Note {n}\n"]
    for s in range(8):
        prose = " ".join(random.choice(words) for _ in range(120))
        parts.append(f"## Section {s} of note {n}\n\n{prose}.\n")
        parts.append(f"```python norun\nasync def step_{n}_{s}():\n    await asyncio.sleep({s})\n```\n")
    open(f"{folder}/note-{n:04}.md", "w").write("\n".join(parts))
PY
"$noterun" render "$work/notes" -o "$work/out" --no-cache >/dev/null 2>&1
ls -l "$work/out/noterun-search.js" | awk '{printf "index: %.1f MB\n", $5 / 1048576}'

# The harness loads the index and the page script exactly as a page does (from file://).
{
  echo '<!doctype html><html><head><meta charset="utf-8"></head><body data-root="" data-page="">'
  echo '<script src="noterun-search.js"></script><script>'
  python3 -c 'import re, sys; page = open(sys.argv[1]).read()
print(re.search(r"<script>(// noterun page script.*?)</script>", page, re.S).group(1))' "$work/out/note-0000.html"
  cat <<'JS'
</script><script>
var out = [], queries = ["await", "semaphore timeout", "step_250_3", "zzz-not-there"];
var t0 = performance.now(); noterunFind("warm"); out.push("first search (builds the index) " + (performance.now() - t0).toFixed(1) + " ms");
queries.forEach(function (q) {
  var times = [], hits = 0;
  for (var i = 0; i < 50; i++) { var t = performance.now(); hits = noterunFind(q).length; times.push(performance.now() - t); }
  times.sort(function (a, b) { return a - b; });
  out.push(JSON.stringify(q) + ": " + hits + " hits, median " + times[25].toFixed(2) + " ms, max " + times[49].toFixed(2) + " ms");
});
document.body.setAttribute("data-result", out.join(" | "));
</script></body></html>
JS
} > "$work/out/bench.html"
chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=60000 --dump-dom "file://$work/out/bench.html" 2>/dev/null \
  | grep -o 'data-result="[^"]*"' | sed 's/data-result="//; s/"$//; s/ | /\n/g'
