"""Runs a command and reports its wall time and peak memory: the peak RSS of the command
itself and the peak of the summed RSS of all its descendants (noterun's kernels and their
fork server), sampled from /proc every 20 ms. `measure.py OUTPUT -- COMMAND...` writes the
command's stdout to OUTPUT and prints one line of figures."""

import os
import subprocess
import sys
import time

output, command = sys.argv[1], sys.argv[sys.argv.index("--") + 1:]


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children():
    """pid -> parent pid, for every process."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    return parents


began = time.monotonic()
with open(output, "w") as out:
    process = subprocess.Popen(command, stdout=out)
    peak_self = peak_kernels = 0
    most_kernels = 0
    while process.poll() is None:
        parents = children()
        descendants, frontier = [], [process.pid]
        while frontier:
            parent = frontier.pop()
            kids = [pid for pid, of in parents.items() if of == parent]
            descendants += kids
            frontier += kids
        peak_self = max(peak_self, rss_kib(process.pid))
        peak_kernels = max(peak_kernels, sum(rss_kib(pid) for pid in descendants))
        most_kernels = max(most_kernels, len(descendants))
        time.sleep(0.02)
seconds = time.monotonic() - began
print(f"{' '.join(command[1:])}: {seconds:.1f} s, exit {process.returncode}, "
      f"peak RSS noterun {peak_self / 1024:.0f} MiB, kernels+server {peak_kernels / 1024:.0f} MiB "
      f"(at most {most_kernels} processes)")
