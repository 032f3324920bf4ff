"""noterun stops a cell that outruns its timeout with SIGINT, and sends a second one a
second later. The interrupt must land in the cell, never in the kernel: outside a cell
SIGINT is ignored, and while the main thread writes an event it is held until the event is
whole. While an event loop runs, the first SIGINT cancels tasks instead of raising (as
asyncio.run does): a KeyboardInterrupt inside the loop's machinery can lose a task's next
step, and that task then never finishes. The second SIGINT raises in any case."""

import signal
import threading

_MAIN = None  # the thread that runs cells: set by install()
_armed = False
_count = 0
_holding = 0
_pending = False
_cancel_tasks = None


def _on_sigint(signum, frame):
    global _count, _pending
    if not _armed:
        return
    _count += 1
    if _holding:
        _pending = True
        return
    _interrupt()


def _interrupt():
    if _count == 1 and _cancel_tasks():
        return
    raise KeyboardInterrupt


def install():
    """In the thread that runs cells, at kernel start (and before each cell)."""
    global _MAIN
    _MAIN = threading.get_ident()
    signal.signal(signal.SIGINT, _on_sigint)


def arm(cancel_tasks):
    """Before a cell: SIGINT now interrupts it. `cancel_tasks()` cancels the tasks of a running
    loop and says whether there were any. (The handler is installed again: a cell may have
    replaced it.)"""
    global _armed, _count, _pending, _cancel_tasks
    install()
    _cancel_tasks = cancel_tasks
    _count = 0
    _pending = False
    _armed = True


def disarm():
    global _armed, _pending
    _armed = _pending = False


def received():
    """Whether noterun interrupted the current cell (a cell may raise KeyboardInterrupt itself)."""
    return _count > 0


class held:
    def __enter__(self):
        global _holding
        if threading.get_ident() == _MAIN:
            _holding += 1

    def __exit__(self, *exc_info):
        global _holding, _pending
        if threading.get_ident() == _MAIN:
            _holding -= 1
            if not _holding and _pending:
                _pending = False
                _interrupt()
