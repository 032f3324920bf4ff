"""Goals of the warm-kernel benchmark from its two hyperfine exports: a one-note render
against python3 and the Jupyter references (median wall time), and what each further note
of a batch adds (50 notes against 1, -j 1), against what a further notebook costs nbclient."""

import json
import sys

one = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
batch = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}


def ms(result):
    return result["median"] * 1000


note = one["noterun render --no-cache, 1 note"]
script = one["python3 one.py (real binary)"]
print(f"one note: {ms(note):.1f} ms, python3 {ms(script):.1f} ms: {ms(note) / ms(script):.2f}x python3 (goal <= 1.2x)")
for name in ("jupyter nbconvert --execute, 1 notebook", "nbclient (one Python), 1 notebook"):
    if name in one:
        print(f"  {name}: {ms(one[name]):.0f} ms, {ms(one[name]) / ms(note):.1f}x noterun (goal >= 20x for nbconvert)")

further = (ms(batch["noterun render, 50 notes"]) - ms(batch["noterun render, 1 note"])) / 49
print(f"each further note: {further:.1f} ms (goal <= 10 ms)")
scripts = ms(batch["python3, 50 scripts (one after the other)"]) / 50
print(f"  python3 per script: {scripts:.1f} ms")
if "nbclient (one Python), 10 notebooks" in batch:
    per_book = (ms(batch["nbclient (one Python), 10 notebooks"]) - ms(one["nbclient (one Python), 1 notebook"])) / 9
    print(f"  nbclient per further notebook: {per_book:.0f} ms, {per_book / further:.0f}x noterun")
