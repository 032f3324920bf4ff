"""noterun stops a cell that outruns its timeout with SIGINT. The KeyboardInterrupt must land
in the cell's code, never in the kernel: outside a cell SIGINT is ignored, and while the main
thread writes an event it is held until the event is whole."""

import signal
import threading

_MAIN = threading.get_ident()
_armed = False
_received = False
_holding = 0
_pending = False


def _on_sigint(signum, frame):
    global _received, _pending
    if not _armed:
        return
    _received = True
    if _holding:
        _pending = True
        return
    raise KeyboardInterrupt


def install():
    signal.signal(signal.SIGINT, _on_sigint)


def arm():
    """Before a cell: SIGINT now interrupts it (installed again: a cell may replace the handler)."""
    global _armed, _received, _pending
    install()
    _received = _pending = False
    _armed = True


def disarm():
    global _armed, _pending
    _armed = _pending = False


def received():
    """Whether noterun interrupted the current cell (a cell may raise KeyboardInterrupt itself)."""
    return _received


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
                raise KeyboardInterrupt
