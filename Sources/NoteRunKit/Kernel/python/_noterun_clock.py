"""The clock of noterun cells: virtual time for asyncio, deadlock and runaway detection.

One kernel-wide clock serves every `NoteLoop` that runs in the main thread (the persistent
loop of top-level-await cells and the loops `asyncio.run`, `asyncio.Runner` and
`asyncio.new_event_loop()` create inside cells).  It starts at 0.0 when the kernel starts
and never goes backwards, across cells and across clock modes.

Virtual clock (`begin_cell(virtual=True, ...)`)
* `loop.time()` is virtual.  When nothing is ready, the loop does not wait: it polls real
  file descriptors and, if none is ready, jumps to its next timer.  Jumps are whole
  nanoseconds, and timers due at the same instant fire in the order they were scheduled.
* The clock never jumps while real work is pending: a `run_in_executor`/`to_thread` job,
  a thread other than the main thread that is not an idle `ThreadPoolExecutor` worker
  (threads named `noterun…` are the kernel's own and never count), or a registered file
  descriptor other than the loop's self-pipe (sockets, subprocess pipes).  The loop then
  waits for real, in slices of 50 ms, and the clock advances by the real time waited
  (never past the next timer).  So threads and real I/O take real time; CPU work in the
  main thread and the run time of subprocesses started without the loop take none.  A
  thread that stays busy (a live ProcessPoolExecutor's manager, a server socket left
  open on the persistent loop) keeps the clock real until it ends.
* While the cell runs, calls from user code in the main thread (code not in the standard
  library, site-packages or the kernel's folder) to `time.monotonic`, `time.perf_counter`,
  `time.time` (their `_ns` forms), `time.localtime`/`gmtime`/`ctime`/`strftime`/
  `asctime` without a time argument, `datetime.datetime.now/utcnow/today` and
  `datetime.date.today` read the virtual clock.  `monotonic()` and `perf_counter()`
  equal `loop.time()`; `time.time()` is `EPOCH` (2024-01-01T00:00:00Z) plus the clock;
  local times use the machine's time zone.  Other threads and library code get real
  time (a frozen clock hangs e.g. ProcessPoolExecutor's timeout loops).
* `time.sleep(s)` from user code in the main thread returns at once and advances the
  clock by `s` (when other threads are busy it also sleeps for real, so they progress).
* Deadlock: when a loop has no ready callback, no timer, and no pending real work,
  nothing can ever run again: `CellStopped('deadlock')` is raised out of
  `run_forever`/`run_until_complete`/`asyncio.run` at once (a signal handler alone does
  not count as something that could run).
* Budget: when the clock would pass `budget` seconds after the cell's start, it stops at
  exactly the budget and `CellStopped('budget')` is raised (from the loop, or from
  `time.sleep`).  `stopped()` tells the cell's first stop, even when other exceptions
  followed it (asyncio.run cancelling tasks that await each other raises RecursionError).  `while True: await asyncio.sleep(0)` never advances the clock: that
  needs the caller's wall-clock timeout (SIGINT); KeyboardInterrupt passes through.

Real clock (`begin_cell(virtual=False, ...)`): loops wait for real and `loop.time()`
advances with `time.monotonic()` (offset so the kernel clock stays continuous); `time.*`
and `datetime` are real.  No deadlock or budget detection.

Between `begin_cell` and `end_cell` (either clock) the `time` module's functions above
are wrappers (so `time.sleep` in a task can be reported); `end_cell` puts the originals
back.  Wrappers that user code kept a reference to serve real time outside cells.
`clock_seconds()` is the cell's clock since `begin_cell`, rounded to 1e-9, frozen at
`end_cell`.

Loops running in other threads, and loops not created through `install_policy`'s hooks
(e.g. `asyncio.SelectorEventLoop()` called directly), are plain real-time asyncio loops.

Hooks for `_noterun_trace` (set by importing it): `task_hook`, `loop_hook`, `stop_hook`,
`sleep_hook`.  Policies are deprecated from Python 3.14: `install_policy` then replaces
`asyncio.new_event_loop` (which `asyncio.run` and `asyncio.Runner` call) instead.
"""

import asyncio
import concurrent.futures
import concurrent.futures.thread
import copyreg
import datetime
import functools
import math
import os
import selectors
import sys
import sysconfig
import threading
import time
import weakref

__all__ = [
    "CellStopped", "NoteLoop", "install_policy", "begin_cell", "end_cell", "clock_seconds",
    "stopped",
]

EPOCH = 1704067200  # 2024-01-01T00:00:00Z: what time.time() reads at virtual clock 0
_POLL_SLICE = 0.05  # longest real wait before re-checking whether threads are still busy

# Real clocks, saved before anything is patched.
_real = {name: getattr(time, name) for name in (
    "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "time", "time_ns",
    "sleep", "localtime", "gmtime", "ctime", "strftime", "asctime")}
_real_monotonic = time.monotonic
_MAIN_THREAD = threading.main_thread().ident
_IDLE_WORKER = concurrent.futures.thread._worker.__code__


class CellStopped(BaseException):
    """Raised out of the running loop (or time.sleep) when a virtual cell cannot go on."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status  # 'deadlock' | 'budget'


# Hooks set by _noterun_trace.
task_hook = None   # (loop, coro, kwargs, create) -> task
loop_hook = None   # (loop) -> None, when a loop starts running
stop_hook = None   # (status, loop or None) -> None, just before CellStopped is raised
sleep_hook = None  # (seconds, frame, real) -> None, before user code's time.sleep in the main
                   # thread; real: whether it will take real time

executor_calls = weakref.WeakKeyDictionary()  # run_in_executor future -> function name

# The kernel clock.
_virtual = True
_v_ns = 0          # virtual clock in whole nanoseconds
_vnow = 0.0        # the same, in seconds
_real_base = 0.0   # real mode: clock value at _real_anchor
_real_anchor = 0.0
_in_cell = False
_cell_start = 0.0
_cell_end = 0.0
_cell_start_ns = 0
_budget_ns = math.inf
_stopped = None    # status of the cell's first CellStopped
_jobs = 0          # executor jobs submitted through a NoteLoop and not yet finished
_jobs_lock = threading.Lock()


def is_virtual():
    return _virtual


def cell_start():
    """The kernel clock at the start of the current (or last) cell."""
    return _cell_start


def now():
    """The kernel clock in seconds (virtual or real, whichever mode is on)."""
    if _virtual:
        return _vnow
    return _real_base + (_real_monotonic() - _real_anchor)


def clock_seconds():
    """Seconds on the cell's clock since begin_cell (frozen at end_cell)."""
    return round((now() if _in_cell else _cell_end) - _cell_start, 9)


def stopped():
    """'deadlock' or 'budget' when the current (or last) cell was stopped, else None; the
    first stop counts, whatever the cell's code (or asyncio.run's cleanup) raised after it."""
    return _stopped


def begin_cell(*, virtual, budget):
    global _virtual, _v_ns, _vnow, _real_base, _real_anchor, _in_cell, _cell_start
    global _cell_start_ns, _budget_ns, _stopped
    current = now()
    if virtual and not _virtual:
        _v_ns = max(_v_ns, round(current * 1e9))
        _vnow = _v_ns / 1e9
    elif not virtual:
        _real_base, _real_anchor = current, _real_monotonic()
    _virtual = virtual
    _cell_start, _cell_start_ns = now(), _v_ns
    _budget_ns = round(budget * 1e9) if budget < math.inf else math.inf
    _in_cell = True
    _stopped = None
    for name, patched in _PATCHES.items():
        setattr(time, name, patched)


def end_cell():
    global _in_cell, _cell_end
    _cell_end = now()
    _in_cell = False
    for name, original in _real.items():
        setattr(time, name, original)


def _advance(ns, loop=None):
    """Moves the virtual clock forward; stops the cell at its budget."""
    global _v_ns, _vnow
    _v_ns += ns
    if _in_cell and _v_ns - _cell_start_ns > _budget_ns:
        _v_ns = _cell_start_ns + _budget_ns
        _vnow = _v_ns / 1e9
        _stop("budget", loop)
    _vnow = _v_ns / 1e9


def _stop(status, loop):
    global _stopped
    if _stopped is None:
        _stopped = status
    if stop_hook is not None:
        stop_hook(status, loop)
    raise CellStopped(status)


# --- who sees virtual time ---------------------------------------------------------------

_KERNEL_DIRS = (os.path.join(os.path.dirname(os.path.abspath(__file__)), ""),)


def _system_dirs():
    paths = sysconfig.get_paths()
    dirs = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs.add(os.path.dirname(os.__file__))
    dirs.update(p for p in sys.path if p.endswith(("site-packages", "dist-packages")))
    return tuple(os.path.join(d, "") for d in dirs) + _KERNEL_DIRS


_SYSTEM_DIRS = _system_dirs()
_file_kinds = {}  # code filename -> "user" | "system" | "kernel"


def _file_kind(filename):
    kind = _file_kinds.get(filename)
    if kind is None:
        path = filename if filename.startswith("<") else os.path.abspath(filename)
        if path.startswith(_KERNEL_DIRS):
            kind = "kernel"
        elif path.startswith(_SYSTEM_DIRS) or path.startswith("<frozen "):
            kind = "system"
        else:
            kind = "user"
        _file_kinds[filename] = kind
    return kind


def is_user_file(filename):
    """True for code of the note and its own modules; False for the standard library,
    site-packages and the kernel."""
    return _file_kind(filename) == "user"


def is_kernel_file(filename):
    return _file_kind(filename) == "kernel"


def _user_virtual():
    """True when the caller of the patched function (two frames up) gets virtual time."""
    return (_virtual and _in_cell and threading.get_ident() == _MAIN_THREAD
            and is_user_file(sys._getframe(2).f_code.co_filename))


# --- patched time functions ----------------------------------------------------------------

@functools.wraps(time.monotonic)
def _monotonic():
    return _vnow if _user_virtual() else _real["monotonic"]()


@functools.wraps(time.monotonic_ns)
def _monotonic_ns():
    return _v_ns if _user_virtual() else _real["monotonic_ns"]()


@functools.wraps(time.perf_counter)
def _perf_counter():
    return _vnow if _user_virtual() else _real["perf_counter"]()


@functools.wraps(time.perf_counter_ns)
def _perf_counter_ns():
    return _v_ns if _user_virtual() else _real["perf_counter_ns"]()


@functools.wraps(time.time)
def _time():
    return EPOCH + _vnow if _user_virtual() else _real["time"]()


@functools.wraps(time.time_ns)
def _time_ns():
    return EPOCH * 10**9 + _v_ns if _user_virtual() else _real["time_ns"]()


@functools.wraps(time.localtime)
def _localtime(secs=None):
    if secs is None and _user_virtual():
        secs = EPOCH + _vnow
    return _real["localtime"](secs)


@functools.wraps(time.gmtime)
def _gmtime(secs=None):
    if secs is None and _user_virtual():
        secs = EPOCH + _vnow
    return _real["gmtime"](secs)


@functools.wraps(time.ctime)
def _ctime(secs=None):
    if secs is None and _user_virtual():
        secs = EPOCH + _vnow
    return _real["ctime"](secs)


@functools.wraps(time.strftime)
def _strftime(format, *t):
    if not t and _user_virtual():
        t = (_real["localtime"](EPOCH + _vnow),)
    return _real["strftime"](format, *t)


@functools.wraps(time.asctime)
def _asctime(*t):
    if not t and _user_virtual():
        t = (_real["localtime"](EPOCH + _vnow),)
    return _real["asctime"](*t)


@functools.wraps(time.sleep)
def _sleep(secs):
    caller = sys._getframe(1)
    if (not _in_cell or threading.get_ident() != _MAIN_THREAD
            or not is_user_file(caller.f_code.co_filename)):
        return _real["sleep"](secs)
    virtual = _virtual and isinstance(secs, (int, float)) and 0 <= secs < math.inf
    real = not virtual or _threads_busy()
    if sleep_hook is not None:
        sleep_hook(secs, caller, real)
    if real:
        _real["sleep"](secs)
    if virtual:
        _advance(round(secs * 1e9), asyncio._get_running_loop())


_PATCHES = {
    "monotonic": _monotonic, "monotonic_ns": _monotonic_ns, "perf_counter": _perf_counter,
    "perf_counter_ns": _perf_counter_ns, "time": _time, "time_ns": _time_ns,
    "sleep": _sleep, "localtime": _localtime, "gmtime": _gmtime, "ctime": _ctime,
    "strftime": _strftime, "asctime": _asctime,
}


# --- datetime --------------------------------------------------------------------------------
# datetime's classes are immutable C types, so the module's names are replaced for good (at
# install_policy) by façades: constructing one gives a real datetime/date, isinstance and
# issubclass answer for the real class, pickling real instances goes through the façade's
# name (which resolves to the real class in any other process).

_real_date = datetime.date
_real_datetime = datetime.datetime


class _FacadeMeta(type):
    def __instancecheck__(cls, obj):
        real = cls.__dict__.get("_facade_of")
        return isinstance(obj, real) if real else super().__instancecheck__(obj)

    def __subclasscheck__(cls, sub):
        real = cls.__dict__.get("_facade_of")
        return issubclass(sub, real) if real else super().__subclasscheck__(sub)


class _Date(_real_date, metaclass=_FacadeMeta):
    _facade_of = _real_date

    def __new__(cls, *args, **kwargs):
        if cls is _Date:
            return _real_date(*args, **kwargs)
        return _real_date.__new__(cls, *args, **kwargs)

    @classmethod
    def today(cls):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + _vnow)
        return super().today()


class _Datetime(_real_datetime, metaclass=_FacadeMeta):
    _facade_of = _real_datetime

    def __new__(cls, *args, **kwargs):
        if cls is _Datetime:
            return _real_datetime(*args, **kwargs)
        return _real_datetime.__new__(cls, *args, **kwargs)

    @classmethod
    def now(cls, tz=None):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + _vnow, tz)
        return super().now(tz)

    @classmethod
    def utcnow(cls):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + _vnow, datetime.timezone.utc).replace(tzinfo=None)
        return super().utcnow()

    @classmethod
    def today(cls):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + _vnow)
        return super().today()


for _facade, _name in ((_Date, "date"), (_Datetime, "datetime")):
    _facade.__module__, _facade.__name__, _facade.__qualname__ = "datetime", _name, _name


def _install_datetime():
    datetime.date, datetime.datetime = _Date, _Datetime
    copyreg.pickle(_real_date, lambda d: (_Date, d.__reduce__()[1]))
    copyreg.pickle(_real_datetime, lambda d: (_Datetime, d.__reduce__()[1]))


# --- threads ---------------------------------------------------------------------------------

def _threads_busy():
    """True while an executor job is unfinished or a thread other than the main thread is
    doing something (idle ThreadPoolExecutor workers and the kernel's own threads don't)."""
    if _jobs:
        return True
    if threading.active_count() == 1:
        return False
    frames = sys._current_frames()
    for thread in threading.enumerate():
        if thread.ident == _MAIN_THREAD or thread.name.startswith("noterun"):
            continue
        frame = frames.get(thread.ident)
        if frame is not None and frame.f_code is not _IDLE_WORKER:
            return True
    return False


class _CountedJob:
    """An executor job that is counted as pending until it returns."""

    __slots__ = ("func",)

    def __init__(self, func):
        self.func = func

    def __call__(self, *args):
        global _jobs
        try:
            return self.func(*args)
        finally:
            with _jobs_lock:
                _jobs -= 1


def callable_name(func):
    while isinstance(func, functools.partial):
        func = func.func
    return getattr(func, "__qualname__", None) or type(func).__name__


# --- the loop --------------------------------------------------------------------------------

class _NoteSelector(selectors.BaseSelector):
    """The loop's selector.  Under the virtual clock it never waits for a timer: it polls
    and jumps the clock instead, and raises CellStopped('deadlock') when there is nothing
    left that could ever wake the loop."""

    def __init__(self):
        self._selector = selectors.DefaultSelector()
        self._loop = None
        self._own_fds = 0
        self._clocked = False  # the loop lives in the main thread and follows the kernel clock

    def attach(self, loop, clocked):
        self._loop = loop
        self._own_fds = len(self._selector.get_map())  # the self-pipe
        self._clocked = clocked

    def register(self, fileobj, events, data=None):
        return self._selector.register(fileobj, events, data)

    def unregister(self, fileobj):
        return self._selector.unregister(fileobj)

    def modify(self, fileobj, events, data=None):
        return self._selector.modify(fileobj, events, data)

    def get_key(self, fileobj):
        return self._selector.get_key(fileobj)

    def get_map(self):
        return self._selector.get_map()

    def close(self):
        self._selector.close()

    def select(self, timeout=None):
        if timeout == 0 or not _virtual or not self._clocked:
            return self._selector.select(timeout)
        # Look at threads before polling: a job that finishes in between has written to
        # the self-pipe by the time it stops counting as busy, so the poll sees it.
        busy = len(self._selector.get_map()) > self._own_fds or _threads_busy()
        events = self._selector.select(0)
        if events:
            return events
        if busy:
            wait = _POLL_SLICE if timeout is None else min(timeout, _POLL_SLICE)
            started = _real_monotonic()
            events = self._selector.select(wait)
            waited = _real_monotonic() - started
            _advance(round((waited if timeout is None else min(waited, timeout)) * 1e9),
                     self._loop)
            return events
        if timeout is None:
            _stop("deadlock", self._loop)
        _advance(round(timeout * 1e9), self._loop)
        return []


class NoteLoop(asyncio.SelectorEventLoop):
    """The kernel's event loop: follows the kernel clock (virtual or real per cell) when
    created in the main thread, and lets _noterun_trace wrap the tasks it creates."""

    def __init__(self):
        selector = _NoteSelector()
        super().__init__(selector)
        self._note_clocked = threading.get_ident() == _MAIN_THREAD
        selector.attach(self, self._note_clocked)
        self._note_ties = {}  # requested timer time -> last time handed out for it
        self._note_prune = 1024

    def time(self):
        return now() if self._note_clocked else _real_monotonic()

    def call_at(self, when, callback, *args, **kwargs):
        # asyncio's timer heap does not keep ties in order; nudge them by one float step
        # each so timers due at the same instant run in the order they were scheduled.
        ties = self._note_ties
        last = ties.get(when)
        ties[when] = nudged = when if last is None else math.nextafter(last, math.inf)
        if len(ties) > self._note_prune:
            current = self.time()
            self._note_ties = {k: v for k, v in ties.items() if v >= current}
            self._note_prune = max(1024, 2 * len(self._note_ties))
        return super().call_at(nudged, callback, *args, **kwargs)

    def create_task(self, coro, **kwargs):
        if task_hook is None or not self._note_clocked:
            return super().create_task(coro, **kwargs)
        return task_hook(self, coro, kwargs, super().create_task)

    def run_forever(self):
        if loop_hook is not None and self._note_clocked:
            loop_hook(self)
        return super().run_forever()

    def run_in_executor(self, executor, func, *args):
        if not self._note_clocked or not (
                executor is None or isinstance(executor, concurrent.futures.ThreadPoolExecutor)):
            return super().run_in_executor(executor, func, *args)
        global _jobs
        with _jobs_lock:
            _jobs += 1
        try:
            future = super().run_in_executor(executor, _CountedJob(func), *args)
        except BaseException:
            with _jobs_lock:
                _jobs -= 1
            raise
        executor_calls[future] = callable_name(func)
        return future


def _new_event_loop():
    return NoteLoop()


def install_policy():
    """Once at kernel start: loops that asyncio creates (asyncio.run, Runner,
    new_event_loop, get_event_loop) are NoteLoops; datetime's façades are installed."""
    if sys.version_info < (3, 14):
        class NotePolicy(asyncio.DefaultEventLoopPolicy):
            def new_event_loop(self):
                return NoteLoop()

        asyncio.set_event_loop_policy(NotePolicy())
    else:
        _patch_new_event_loop()
    _install_datetime()


def _patch_new_event_loop():
    asyncio.events.new_event_loop = asyncio.new_event_loop = _new_event_loop
