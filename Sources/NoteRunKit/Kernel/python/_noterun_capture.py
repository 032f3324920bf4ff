"""What cells print reaches noterun as `stream` events.

sys.stdout and sys.stderr become text streams that send events directly, attributed to the
running asyncio task (none for the cell's own code, top-level-await task included). Descriptors 1 and 2 become pipes that a reader thread forwards, so
os.write(1, ...), C libraries and subprocesses are captured too. Output keeps the order it
was written in: a Python-level write first forwards whatever is waiting in the pipes.
Each cell may print CAP bytes; the rest is counted and dropped.
"""

import codecs
import io
import os
import select
import sys
import threading

import _noterun_protocol as protocol
import _noterun_trace as trace

CAP = 2 * 1024 * 1024
CHUNK = 64 * 1024
NAMES = ("stdout", "stderr")


class Capture:
    def __init__(self, channel):
        self._channel = channel
        self._lock = threading.Lock()
        self._in_child = False
        self._main = threading.get_ident()  # the thread that runs cells
        os.register_at_fork(after_in_child=self._forked)
        self.cell = None
        self.cell_task = None  # the kernel's task running the cell: its prints are the cell's own
        self._used = 0
        self._dropped = 0
        self._pending = []
        self._pending_key = None
        self._pending_size = 0

        null = os.open(os.devnull, os.O_RDWR)
        self._null = protocol.dup_high(null)
        os.close(null)
        self._readers = {}
        self._writers = []
        for name in NAMES:
            read_end, write_end = os.pipe()
            reader = protocol.dup_high(read_end)
            os.set_blocking(reader, False)
            self._readers[reader] = (name, codecs.getincrementaldecoder("utf-8")("replace"))
            self._writers.append(protocol.dup_high(write_end))
            os.close(read_end)
            os.close(write_end)
        self._ready_now = select.poll()
        for reader in self._readers:
            self._ready_now.register(reader, select.POLLIN)
        self._streams = [TextStream(name, fd, self) for fd, name in enumerate(NAMES, 1)]
        self.reinstall()
        threading.Thread(target=self._forward, name="noterun-capture", daemon=True).start()

    def reinstall(self):
        """Point fds 0-2 and sys.std* back at the capture: a cell may have closed or moved them."""
        os.dup2(self._null, 0)
        for fd, writer in enumerate(self._writers, 1):
            os.dup2(writer, fd)
        for index, stream in enumerate(self._streams):
            if stream.closed:
                self._streams[index] = TextStream(stream.name, stream.fd, self)
        sys.stdout, sys.stderr = self._streams
        if sys.stdin is None or sys.stdin.closed:
            sys.stdin = open(os.devnull)

    def begin(self, cell):
        self.reinstall()
        with self._lock:
            self.cell = cell
            self.cell_task = None
            self._used = self._dropped = 0

    def end(self):
        """Forward what is left; the bytes dropped over the cap."""
        with self._lock:
            self._drain()
            self._flush()
            self.cell = None
            return self._dropped

    def write(self, name, fd, text):
        if self._in_child:  # a forked child: only ever through the descriptor
            data = memoryview(text.encode("utf-8", "replace"))
            while data:
                data = data[os.write(fd, data):]
            return
        task = None
        if threading.get_ident() == self._main and self.cell is not None:
            running = trace.current_task()
            if running is not None and running is not self.cell_task:
                task = running.get_name()
            trace.record_output(name, text)
        with self._lock:
            self._drain()
            self._add(name, task, text)

    def flush(self):
        with self._lock:
            self._flush()

    def _forked(self):
        self._in_child = True

    def _forward(self):
        ready = select.poll()
        for reader in self._readers:
            ready.register(reader, select.POLLIN)
        while True:
            # A partial line waits at most 50 ms before it is sent on its own.
            events = ready.poll(50 if self._pending else None)
            with self._lock:
                if events:
                    self._drain()
                else:
                    self._flush()

    def _drain(self):
        if not self._ready_now.poll(0):
            return
        for reader, (name, decoder) in self._readers.items():
            while True:
                try:
                    data = os.read(reader, 65536)
                except BlockingIOError:
                    break
                if not data:
                    break
                text = decoder.decode(data)
                if text and self.cell is not None:
                    self._add(name, None, text)

    def _add(self, name, task, text):
        if self.cell is None:
            return
        size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
        room = CAP - self._used
        if size > room:
            self._dropped += size - room
            text = _cut(text, room)
            size = room
            if not text:
                return
        self._used += size
        if self._pending_key != (name, task):
            self._flush()
            self._pending_key = (name, task)
        self._pending.append(text)
        self._pending_size += size
        # Like a terminal's line buffering: one event per line, not per write.
        if text.endswith("\n") or self._pending_size >= CHUNK:
            self._flush()

    def _flush(self):
        if not self._pending:
            return
        text = "".join(self._pending)
        name, task = self._pending_key
        self._pending = []
        self._pending_size = 0
        step = CHUNK if text.isascii() else CHUNK // 4
        for start in range(0, len(text), step):
            self._channel.send(protocol.stream(self.cell, name, text[start : start + step], task))


def _cut(text, size):
    """The longest prefix of text that is at most size bytes of UTF-8."""
    if text.isascii():
        return text[:size]
    return text.encode("utf-8", "replace")[:size].decode("utf-8", "ignore")


class TextStream(io.TextIOBase):
    """sys.stdout or sys.stderr of a cell."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, name, fd, capture):
        self.name = name
        self.fd = fd
        self._capture = capture
        self.buffer = _BinaryStream(self)

    def write(self, text):
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text:
            self._capture.write(self.name, self.fd, text)
        return len(text)

    def flush(self):
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        self._capture.flush()

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        return self.fd


class _BinaryStream:
    """sys.stdout.buffer: bytes decoded as UTF-8 on their way to the text stream."""

    def __init__(self, text_stream):
        self._text = text_stream
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def write(self, data):
        self._text.write(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self):
        self._text.flush()
