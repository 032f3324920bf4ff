"""Per-cell overhead from a hyperfine JSON export whose first command runs a 1-cell note and
whose later commands run N-cell notes (N read from the command name: "... 100 cells ...").
Prints it from median wall time and from mean CPU time (user + system of noterun and its
kernel), which other load on the machine disturbs less."""

import json
import re
import sys

results = json.load(open(sys.argv[1]))["results"]
one, more = results[0], results[1:]
for many in more:
    count = int(re.search(r"(\d+) cells", many["command"]).group(1))
    wall = (many["median"] - one["median"]) / (count - 1) * 1000
    cpu = ((many["user"] + many["system"]) - (one["user"] + one["system"])) / (count - 1) * 1000
    print(f"{many['command']}: per cell {wall:.3f} ms wall (median), {cpu:.3f} ms CPU (mean)")
