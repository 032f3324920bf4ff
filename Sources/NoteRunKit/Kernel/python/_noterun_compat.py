"""Every private asyncio/CPython detail the kernel relies on, in one place.

Each function below reads or replaces one detail that is not public API.  Its comment says
what it reads, on which Python versions that was checked (3.10-3.13), and what happens when
the detail is missing: the kernel then degrades (a less detailed label, a real clock where
a virtual one would have been), it never fails the cell.  Functions are small and
independent, so a detail can be dropped without touching the others.
"""

import asyncio
import asyncio.events
import concurrent.futures.thread
import io
import sys
import threading


# --- the idle ThreadPoolExecutor worker -----------------------------------------------------

def idle_worker_code():
    """The code object of `concurrent.futures.thread._worker` (3.10-3.13): a pool thread whose
    innermost Python frame runs it waits for work.  Missing: None, and every pool thread
    counts as busy, so an executor that outlives its work keeps the virtual clock real."""
    worker = getattr(concurrent.futures.thread, "_worker", None)
    return getattr(worker, "__code__", None)


# --- the running loop of plain cells ----------------------------------------------------------
# A plain cell (no top-level await) runs with the note's loop as asyncio's running loop of
# the main thread, though that loop is not running ("held"): create_task, ensure_future,
# get_running_loop and get_event_loop then find it, as in Jupyter.  asyncio's own
# "is a loop already running?" checks (asyncio.run, Runner.run, run_until_complete,
# run_forever: all 3.10-3.13) call the Python-level names `asyncio.events._get_running_loop`
# and `_set_running_loop`; those are replaced by versions that see through the held loop,
# so asyncio.run() and loop.run_until_complete() keep working in plain cells.  Missing (the
# names are absent or not looked up there): hold_running_loop returns False and plain cells
# run without a running loop, as in a script.

_c_get_running_loop = getattr(asyncio.events, "_get_running_loop", None)
_c_set_running_loop = getattr(asyncio.events, "_set_running_loop", None)
_held = None          # the loop held as running in the main thread, or None
_holder = None        # ident of the thread holding it


def _get_running_loop():
    loop = _c_get_running_loop()
    if loop is not None and loop is _held and not loop.is_running():
        return None
    return loop


def _set_running_loop(loop):
    if loop is None and _held is not None and threading.get_ident() == _holder:
        loop = _held  # a loop run from a plain cell ended: the note's loop is held again
    _c_set_running_loop(loop)


def install_running_loop_hold():
    """Once per kernel process (again after a fork is harmless): asyncio's checks see
    through a held loop.  False when this Python does not have the names to replace."""
    if _c_get_running_loop is None or _c_set_running_loop is None:
        return False
    asyncio.events._get_running_loop = _get_running_loop
    asyncio.events._set_running_loop = _set_running_loop
    return True


def hold_running_loop(loop):
    """Make `loop` this thread's running loop without running it; False if unsupported."""
    global _held, _holder
    if asyncio.events._get_running_loop is not _get_running_loop:
        return False
    _held, _holder = loop, threading.get_ident()
    _c_set_running_loop(loop)
    return True


def release_running_loop():
    """Undo hold_running_loop (nothing to do when nothing is held)."""
    global _held, _holder
    loop, _held, _holder = _held, None, None
    if loop is not None and _c_get_running_loop() is loop:
        _c_set_running_loop(None)


# --- the loop asyncio.run creates -----------------------------------------------------------

def install_loop_factory(factory):
    """Loops that asyncio creates (asyncio.run, Runner, new_event_loop, get_event_loop) are
    `factory()`.  Through an event loop policy before 3.14; policies are deprecated from
    3.14, so there `asyncio.new_event_loop` (which asyncio.run and Runner call through
    `asyncio.events`) is replaced.  Missing both: loops asyncio creates are plain real-time
    loops (no virtual clock, no trace) and the kernel's own loop still is `factory()`."""
    if sys.version_info < (3, 14) and hasattr(asyncio, "DefaultEventLoopPolicy"):
        class NotePolicy(asyncio.DefaultEventLoopPolicy):
            def new_event_loop(self):
                return factory()

        asyncio.set_event_loop_policy(NotePolicy())
        return True
    if hasattr(asyncio.events, "new_event_loop"):
        asyncio.events.new_event_loop = asyncio.new_event_loop = factory
        return True
    return False


# --- "Did you mean" hints ---------------------------------------------------------------------

def with_interpreter_hint(error, line):
    """The last line of a traceback for `error` as the interpreter prints it.  On 3.10 and
    3.11 the `traceback` module leaves out the hint the interpreter adds to NameError and
    AttributeError ("Did you mean: 'fetch'?"); the interpreter's own printer
    (`sys.__excepthook__`, writing to sys.stderr) has it, so its last line replaces `line`
    when it extends it.  3.12+: `traceback` has the hint and `line` is kept.  Missing (the
    printer fails or prints something else): `line`, without the hint."""
    if sys.version_info >= (3, 12) or not isinstance(error, (NameError, AttributeError)):
        return line
    buffer = io.StringIO()
    saved = sys.stderr
    try:
        sys.stderr = buffer
        sys.__excepthook__(type(error), error, None)
    except Exception:
        return line
    finally:
        sys.stderr = saved
    printed = buffer.getvalue().rstrip("\n").rpartition("\n")[2] + "\n"
    return printed if printed.startswith(line.rstrip("\n")) else line
