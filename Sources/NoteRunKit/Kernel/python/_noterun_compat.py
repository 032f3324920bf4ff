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
import gc
import inspect
import io
import sys
import threading
import types


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


# --- what the tracer reads ----------------------------------------------------------------------

def gather_children(future):
    """The awaitables of a `gather()` future: `_GatheringFuture._children` (3.10-3.13).
    Missing: None, and the tracer labels it `Future` instead of `gather(N)`."""
    children = getattr(future, "_children", None)
    return children if isinstance(children, list) else None


def is_sleep_zero(awaited):
    """Whether `sleep` awaits its zero-delay helper, the generator `__sleep0` (3.10-3.13).
    Missing: False, and `sleep(0)` is labelled from its `delay` argument, which is 0."""
    return type(awaited) is types.GeneratorType and awaited.gi_code.co_name == "__sleep0"


def argument(coro, name):
    """The argument `name` of a suspended asyncio coroutine (`delay` of `sleep`, `timeout`
    of `wait_for`, `fs` of `wait`, `func` of `to_thread`), read from its frame's `f_locals`
    (parameter names as in 3.10-3.13).  Missing (renamed, no frame): None, and the label
    shows `None` in its place (`sleep(None)`)."""
    frame = getattr(coro, "cr_frame", None)
    return frame.f_locals.get(name) if frame is not None else None


def async_generator_of(step):
    """The async generator an `async for` step object (`async_generator_asend`/`athrow`)
    drives, found among its referents (3.10-3.13: the step holds its generator).  Missing:
    None, and the await chain stops at the `async for`."""
    return next((r for r in gc.get_referents(step) if type(r) is types.AsyncGeneratorType),
                None)


def future_of(awaited):
    """The future behind an object a coroutine awaits that is not a coroutine (a C
    `FutureIter`, which holds its future), found among its referents (3.10-3.13).  Missing:
    None, and the awaited thing reads `yield`."""
    return next((r for r in gc.get_referents(awaited) if isinstance(r, asyncio.Future)), None)


def shield_inner(future):
    """The awaitable a `shield()` future shields: `shield` gives the caller a new future whose
    done-callbacks (`_callbacks`, 3.10-3.13: (callback, context) pairs from 3.12, bare
    callbacks before) hold its closure `shield.<locals>._outer_done_callback`, whose closure
    cell holds the inner future.  Missing: None, and the label is `Future`."""
    callbacks = getattr(future, "_callbacks", None) or ()
    for callback in callbacks:
        if isinstance(callback, tuple):
            callback = callback[0]
        if getattr(callback, "__qualname__", "") != "shield.<locals>._outer_done_callback":
            continue
        for cell in callback.__closure__ or ():
            try:
                inner = cell.cell_contents
            except ValueError:
                continue
            if isinstance(inner, asyncio.Future) and inner is not future:
                return inner
    return None


def woken_task(callback):
    """The task a loop callback wakes up: `__self__` of a Task's wake-up callback, named
    `task_wakeup` (C Task) or `__wakeup` (Python Task), 3.10-3.13.  (A Task's step callback
    is scheduled by its creation or by its own step, never by a waker.)  Missing: None, and
    the tracer records no wake cause (`wake` absent)."""
    if not getattr(callback, "__name__", "").endswith("wakeup"):
        return None
    task = getattr(callback, "__self__", None)
    return task if isinstance(task, asyncio.Task) else None


_HANDLE_RUN = getattr(getattr(asyncio.events.Handle, "_run", None), "__code__", None)


def is_loop_runner(code):
    """Whether `code` is `asyncio.events.Handle._run`, the loop's frame that calls each
    callback (3.10-3.13): the frame it calls is the callback's.  Missing: never, and a wake
    made outside any task reads `loop` without naming the callback."""
    return code is _HANDLE_RUN


# asyncio's own callbacks that wake a task, by (module, function name) (3.10-3.13); a name
# missing here makes the wake read `loop` with the function's name.
_CALLBACKS = {
    ("futures", "_set_result_unless_cancelled"): ("timer", None),  # sleep's timer
    ("tasks", "_release_waiter"): ("timer", None),                 # wait_for/wait timeouts
    ("tasks", "_on_timeout"): ("timer", None),                     # wait(timeout=)
    ("timeouts", "_on_timeout"): ("cancel", "timeout"),            # asyncio.timeout
    ("tasks", "_done_callback"): ("child", "gather"),
    ("taskgroups", "_on_task_done"): ("child", "TaskGroup"),
    ("tasks", "_on_completion"): ("child", "wait"),
    ("tasks", "_inner_done_callback"): ("done", "shield"),
    ("futures", "_call_set_state"): ("executor", None),            # run_in_executor's future
}


def asyncio_callback(code):
    """(kind, label) of an asyncio callback that woke a task, by its code's module and name,
    or None when it is not one of asyncio's known ones."""
    module = code.co_filename.rpartition("/")[2].rpartition(".")[0]
    return _CALLBACKS.get((module, code.co_name))


def done_argument(frame, other):
    """The finished future other than `other` a callback was called with (`fut` of gather's
    `_done_callback`, `task` of `TaskGroup._on_task_done`, `f` of wait's `_on_completion`,
    the extra argument of `_release_waiter` as a done-callback), from the callback frame's
    arguments in `f_locals` (3.10-3.13).  Missing: None, and the wake has no `by`."""
    code = frame.f_code
    values = frame.f_locals
    candidates = [values.get(name) for name in code.co_varnames[:code.co_argcount]]
    if code.co_flags & inspect.CO_VARARGS:
        candidates.extend(values.get(code.co_varnames[code.co_argcount
                                                      + code.co_kwonlyargcount]) or ())
    for value in candidates:
        if isinstance(value, asyncio.Future) and value is not other and value.done():
            return value
    return None


def release_owner(frame):
    """The class name of the lock-like object an `async with` releases: `__aexit__` is
    asyncio's shared `_ContextManagerMixin.__aexit__` (3.10-3.13), so the frame's `self`
    says whether it is a Lock, Semaphore or Condition.  Missing: None."""
    owner = frame.f_locals.get("self")
    return type(owner).__name__ if owner is not None else None


def qualified_name(frame):
    """`Queue.put` for a frame of `Queue.put`: `co_qualname` (3.11+); on 3.10, the class in
    the MRO of the frame's `self` whose attribute has this code, else the bare name."""
    code = frame.f_code
    qualname = getattr(code, "co_qualname", None)
    if qualname is not None:
        return qualname
    owner = frame.f_locals.get("self")
    for cls in type(owner).__mro__ if owner is not None else ():
        if getattr(cls.__dict__.get(code.co_name), "__code__", None) is code:
            return f"{cls.__name__}.{code.co_name}"
    return code.co_name
