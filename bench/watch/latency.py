#!/usr/bin/env python3
"""Save-to-reload latency of `noterun watch`.

Starts `noterun watch` on a scratch folder holding one note of 20 cells, connects to the
live-reload WebSocket as a browser page would, then saves the note N times (write a new
file, rename it over the note, as editors do) and times each save until the reload message
naming the page arrives. Prints the median and p90 per scenario.

Usage: latency.py NOTERUN [--edits N]
"""
import argparse
import base64
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CELLS = 20


def note(prose, edited_cell=None, edit=0):
    parts = ["# Latency\n", f"{prose}\n"]
    for i in range(CELLS):
        body = f"x{i} = {i}\nawait asyncio.sleep(0.5)\nprint(x{i} * 2)"
        if i == 0:
            body = "import asyncio\n" + body
        if i == edited_cell:
            body += f"\nprint('edit {edit}')"
        parts.append(f"Cell {i} does a little.\n\n```python\n{body}\n```\n")
    return "\n".join(parts)


def save(path, text):
    temporary = path + ".saving"
    with open(temporary, "w") as f:
        f.write(text)
    os.replace(temporary, path)


class LiveReload:
    """A minimal WebSocket client: handshake, then unmasked text frames from the server."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (f"GET /__noterun/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
             f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
             "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("server closed the live-reload socket")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def message(self, timeout):
        self.sock.settimeout(timeout)
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self._read(2), "big")
            elif length == 127:
                length = int.from_bytes(self._read(8), "big")
            payload = self._read(length)
            if first & 0x0F == 0x1:
                return json.loads(payload)["reload"]

    def drain(self, seconds):
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            try:
                self.message(left)
            except socket.timeout:
                return


def scenario(noterun, name, edits, make_text, extra_args=()):
    with tempfile.TemporaryDirectory(prefix="noterun-bench-watch-") as folder:
        notes = os.path.join(folder, "notes")
        os.mkdir(notes)
        path = os.path.join(notes, "latency.md")
        save(path, make_text(0))
        log = open(os.path.join(folder, "watch.log"), "w+")
        watch = subprocess.Popen(
            [noterun, "watch", notes, "-o", os.path.join(folder, "out"), "--port", "0",
             "--cache-dir", os.path.join(folder, "cache"), *extra_args],
            stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.monotonic() + 120
            port = None
            while port is None and time.monotonic() < deadline:
                log.seek(0)
                found = re.search(r"at http://127\.0\.0\.1:(\d+)/", log.read())
                port = found and int(found.group(1))
                time.sleep(0.05)
            if port is None:
                sys.exit(f"noterun watch did not start:\n{open(log.name).read()}")
            client = LiveReload(port)
            times = []
            for edit in range(1, edits + 2):
                began = time.perf_counter()
                save(path, make_text(edit))
                while "latency.html" not in client.message(60):
                    pass
                elapsed = (time.perf_counter() - began) * 1000
                if edit > 1:  # the first save warms up
                    times.append(elapsed)
                client.drain(0.3)
        finally:
            watch.send_signal(2)
            watch.wait(30)
        times.sort()
        p90 = times[min(len(times) - 1, int(round(0.9 * len(times))) - 1)]
        print(f"{name:44} median {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms   "
              f"min {times[0]:6.1f}   max {times[-1]:7.1f}   n={len(times)}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("noterun")
    parser.add_argument("--edits", type=int, default=25)
    args = parser.parse_args()
    n = args.edits
    print(f"noterun watch, save → reload message, {CELLS}-cell note, {n} saves each", flush=True)
    scenario(args.noterun, "floor: note without cells, prose edit", n,
             lambda i: f"# Floor\n\nedit {i}\n")
    scenario(args.noterun, "prose edit (cell cache)", n, lambda i: note(f"Prose edit {i}."))
    scenario(args.noterun, "edit of cell 20 of 20 (cell cache)", n,
             lambda i: note("Prose.", edited_cell=CELLS - 1, edit=i))
    scenario(args.noterun, "edit of cell 10 of 20 (cell cache)", n,
             lambda i: note("Prose.", edited_cell=9, edit=i))
    scenario(args.noterun, "prose edit, --no-cache (full re-run)", n,
             lambda i: note(f"Prose edit {i}."), ["--no-cache"])


if __name__ == "__main__":
    main()
