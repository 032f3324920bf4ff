"""A real kernel for the unit tests: `_noterun_kernel.py` in a child process, spoken to
over its command pipe (fd 0) and event pipe (fd 1) as noterun speaks to it."""

import json
import os
import subprocess
import sys

KERNEL_DIR = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources", "NoteRunKit", "Kernel",
    "python")
sys.path.insert(0, KERNEL_DIR)


class KernelClient:
    """One kernel running one note. `run(code)` returns (done event, stream events)."""

    def __init__(self, source="", file="note.md", seed=0):
        environment = dict(os.environ, PYTHONHASHSEED="0", TZ="UTC", PYTHONIOENCODING="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-B", "-u", os.path.join(KERNEL_DIR, "_noterun_kernel.py")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environment, start_new_session=True)
        self.file = file
        self.source = source
        self.cells = 0
        self.send({"op": "start", "file": file, "path": os.path.abspath(file),
                   "source": source, "seed": seed})
        ready = self.next()
        assert ready["event"] == "ready", ready

    def send(self, command):
        self.process.stdin.write(json.dumps(command).encode() + b"\n")
        self.process.stdin.flush()

    def next(self):
        line = self.process.stdout.readline()
        if not line:
            raise EOFError(self.process.stderr.read().decode(errors="replace"))
        return json.loads(line)

    def run(self, code, line=1, clock="virtual", trace=False, budget=3600.0, **extra):
        """Runs `code` as the note's text from `line` on; (done, streams)."""
        self.cells += 1
        command = {"op": "run", "cell": self.cells,
                   "segments": [{"file": self.file, "line": line, "text": code}],
                   "clock": clock, "trace": trace, "budget": budget, "traceLimit": 10000}
        command.update(extra)
        self.send(command)
        streams = []
        while True:
            event = self.next()
            if event["event"] == "done":
                return event, streams
            streams.append(event)

    def output(self, code, **options):
        """What the cell printed (stdout and stderr, in order); asserts it finished ok."""
        done, streams = self.run(code, **options)
        assert done["status"] == "ok", done
        return "".join(event["text"] for event in streams)

    def close(self):
        self.process.stdin.close()
        try:
            self.process.wait(5)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.process.stdout.close()
            self.process.stderr.close()


def note_of(*cells):
    """(note source, [(line, code)]) for cells laid out as fenced blocks in a note."""
    lines = ["# note", ""]
    placed = []
    for code in cells:
        lines.append("```python")
        placed.append((len(lines) + 1, code))
        lines.extend(code.rstrip("\n").split("\n"))
        lines.extend(["```", ""])
    return "\n".join(lines) + "\n", placed


def script_output(code):
    """What `code` prints as a plain `python3` script (stdout + stderr), with its status."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONHASHSEED="0", TZ="UTC"), timeout=60)
    return done.stdout, done.stderr, done.returncode
