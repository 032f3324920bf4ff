"""A warm parent for noterun's kernels: imports the kernel once, then forks one per note.

Starting a kernel costs a Python start plus the kernel's imports (asyncio above all); a
fork of a process that has done both costs a few milliseconds. This process imports the
kernel's modules and does nothing else of a note run: no loop, no thread, no capture, no
seed. Each kernel it forks then runs `_noterun_kernel.main()` exactly as a kernel started
from scratch does, so what a note sees is the same: its own process, a clean namespace,
seeds, `__file__`, argv, and no thread (this process never starts one).

noterun starts it with one end of a Unix seqpacket socket on fd 0. Each request is one
byte with three descriptors attached (the kernel's command pipe, event pipe and crash
pipe, to become its fds 0, 1 and 2); the answer is the kernel's pid in decimal. The
kernel is forked twice over (the middle process exits at once), so it is adopted by
noterun, which is a child subreaper: noterun waits for it, sees how it ended, and signals
its process group (its pid) as it does for a kernel it spawned itself. The process group
is set by the middle process before the pid is sent, so it exists when noterun first
signals it. The server exits when noterun closes the socket.
"""

import faulthandler  # noqa: F401 (each import below is what makes the parent warm)
import os
import socket
import threading

import _noterun_capture  # noqa: F401
import _noterun_clock  # noqa: F401
import _noterun_execute  # noqa: F401
import _noterun_interrupt  # noqa: F401
import _noterun_kernel
import _noterun_protocol  # noqa: F401


def main():
    server = socket.socket(fileno=os.dup(0))
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.close(null)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, 1, 3)
        except ConnectionError:
            break
        if not message:
            break  # noterun is gone
        if len(fds) != 3 or threading.active_count() != 1:
            break  # not a request, or a fork could carry a thread over: noterun spawns instead
        answer_read, answer_write = os.pipe()
        middle = os.fork()
        if middle == 0:
            os.close(answer_read)
            _fork_kernel(server, fds, answer_write)
        os.close(answer_write)
        for fd in fds:
            os.close(fd)
        os.waitpid(middle, 0)
        with open(answer_read, "rb") as answer:
            pid = answer.read()
        if not pid:
            break
        server.send(pid)
    os._exit(0)


def _fork_kernel(server, fds, answer):
    """In the middle process: fork the kernel, give it its own process group, send its pid."""
    try:
        kernel = os.fork()
        if kernel == 0:
            os.close(answer)
            _run_kernel(server, fds)
        try:
            os.setpgid(kernel, kernel)
        except OSError:
            pass  # the kernel already set it, or died
        os.write(answer, str(kernel).encode())
    finally:
        os._exit(0)


def _run_kernel(server, fds):
    """In the kernel: fds 0-2 are the note's pipes, nothing else is open, then run it."""
    try:
        os.setpgid(0, 0)
        server.close()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))
    except BaseException:
        os._exit(1)
    try:
        _noterun_kernel.main()
    finally:
        os._exit(1)


if __name__ == "__main__":
    main()
