"""The table of bench/trace/run.sh: whole-command wall times (from hyperfine's JSON), each
cell's own time, the traced cell's event count and events per second.

usage: summarize.py NOTERUN PYTHON WORKDIR RUNS
"""

import json
import re
import statistics
import subprocess
import sys

noterun, python, work, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])


def noterun_cell_seconds(note):
    """Wall seconds of the note's one cell, as noterun measured it (CellResult.seconds)."""
    report = subprocess.run([noterun, "check", "--no-cache", "--python", python, "--format", "json",
                             note],
                            capture_output=True, text=True, check=True).stdout
    return json.loads(report)["seconds"]


def python_seconds():
    """Wall seconds of the script's code in plain python3, start-up excluded."""
    timer = ("import runpy, time; t = time.perf_counter(); "
             f"runpy.run_path({work + '/workload.py'!r}, run_name='__main__'); "
             "print(time.perf_counter() - t)")
    return float(subprocess.run([python, "-c", timer], capture_output=True, text=True,
                                check=True).stdout)


def traced_events():
    """Events of the traced cell: rows `noterun trace` lists plus those it says it left out."""
    table = subprocess.run([noterun, "trace", "--no-cache", "--python", python, work + "/traced.md"],
                           capture_output=True, text=True, check=True).stdout
    kept = sum(1 for line in table.splitlines() if re.match(r"\s*\d+\.\d+\s", line))
    more = re.search(r"… ([\d,]+) more events", table)
    return kept + (int(more.group(1).replace(",", "")) if more else 0)


# Rounds interleave the three, so a change in the machine's load hits them alike.
cells = {"traced": [], "untraced": [], "python": []}
for _ in range(runs):
    cells["traced"].append(noterun_cell_seconds(work + "/traced.md"))
    cells["untraced"].append(noterun_cell_seconds(work + "/untraced.md"))
    cells["python"].append(python_seconds())
events = traced_events()
commands = {r["command"]: r for r in json.load(open(work + "/hyperfine.json"))["results"]}
median = {name: statistics.median(times) for name, times in cells.items()}

rows = [
    ("noterun traced (virtual clock)", "traced"),
    ("noterun clock=real trace=off", "untraced"),
    ("python3 workload.py", "python"),
]
print(f"Cell: 10,000 tasks x 10 `await asyncio.sleep(0)`; {events:,} trace events "
      f"(recorded + omitted). Cell times: median of {runs} interleaved runs.\n")
print("| run | whole command, mean ± σ (min) | cell | events/s | cell ÷ untraced | cell ÷ python3 |")
print("| --- | --- | --- | --- | --- | --- |")
for label, key in rows:
    whole = commands[label]
    print(f"| {label} | {whole['mean']:.3f} s ± {whole['stddev']:.3f} ({whole['min']:.3f}) "
          f"| {median[key]:.3f} s | {events / median[key]:,.0f} "
          f"| {median[key] / median['untraced']:.2f}× | {median[key] / median['python']:.2f}× |")
empty = commands["noterun, one empty cell"]
print(f"| noterun, one empty cell | {empty['mean']:.3f} s ± {empty['stddev']:.3f} "
      f"({empty['min']:.3f}) | | | | |")
print("\nevents/s: the traced cell's events over each cell's time (the untraced runs do the "
      "same steps without recording them).")
