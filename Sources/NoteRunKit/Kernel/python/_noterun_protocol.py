"""The channel to noterun: one JSON object per line, commands in, events out.

Mirrors Sources/NoteRunKit/Kernel/KernelMessage.swift; change both together and bump
VERSION, which the kernel announces in its ready event (noterun refuses any other).

Commands:  {"op": "start", "file", "path", "source", "seed"}
           {"op": "run", "cell", "segments": [{"file", "line", "text"}], "clock", "trace",
            "budget", "traceLimit", "raises", "match"}
           {"op": "end"}: the note has no more cells
Events:    {"event": "ready", "python", "protocol"}
           {"event": "stream", "cell", "name", "text", "task"}
           {"event": "done", "cell", "status", "value", "error", "clockSeconds", "trace",
            "droppedBytes", "matched", "matchError"}
           {"event": "ended", "pending": [{"name", "coroutine", "state", "where", "cell"}]}
error:     {"type", "mro", "message", "traceback", "file", "line"}  (cell_error below)
trace:     built by _noterun_trace.py: {"clock", "end", "tasks", "events", "waiting",
            "omitted"?, "stop"?}; Swift's WireTrace lists every key. The contract tests
            decode what a real kernel sends and encode it back, so a key renamed on one side
            fails them.

Both ends live on close-on-exec descriptors >= HIGH_FD, so nothing a cell does with fds 0-2,
and no subprocess, can reach them.
"""

import fcntl
import json
import os
import threading

import _noterun_interrupt as interrupt

HIGH_FD = 200
VERSION = 3


def dup_high(fd):
    """A close-on-exec duplicate of fd at HIGH_FD or above."""
    return fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, HIGH_FD)


class Channel:
    def __init__(self, command_fd, event_fd):
        self._commands = open(command_fd, "rb")
        self._event_fd = event_fd
        self._lock = threading.Lock()

    def commands(self):
        """Each command, until noterun closes the pipe."""
        for line in self._commands:
            yield json.loads(line)

    def send(self, event):
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n"
        data = memoryview(line.encode("utf-8", "replace"))
        # A half-written line would corrupt every event after it: hold SIGINT until it is out.
        with self._lock, interrupt.held():
            try:
                while data:
                    data = data[os.write(self._event_fd, data):]
            except BrokenPipeError:
                os._exit(0)  # noterun is gone; nobody is left to report to


def ready(python):
    return {"event": "ready", "python": python, "protocol": VERSION}


def stream(cell, name, text, task):
    return {"event": "stream", "cell": cell, "name": name, "text": text, "task": task}


def done(cell, status, value=None, error=None, clock_seconds=0.0, trace=None, dropped_bytes=0,
         matched=None, match_error=None):
    return {
        "event": "done",
        "cell": cell,
        "status": status,
        "value": value,
        "error": error,
        "clockSeconds": clock_seconds,
        "trace": trace,
        "droppedBytes": dropped_bytes,
        "matched": matched,
        "matchError": match_error,
    }


def ended(pending):
    return {"event": "ended", "pending": pending}


def pending_task(name, coroutine, state, where, cell):
    return {"name": name, "coroutine": coroutine, "state": state, "where": where, "cell": cell}


def cell_error(type_name, mro, message, traceback, file, line):
    return {
        "type": type_name,
        "mro": mro,
        "message": message,
        "traceback": traceback,
        "file": file,
        "line": line,
    }
