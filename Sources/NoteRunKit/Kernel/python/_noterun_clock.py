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
* While the cell runs, calls from user code in any thread (code not in the standard
  library, site-packages or the kernel's folder; a `to_thread` worker's function is user
  code too, so every clock the note reads tells one story) to `time.monotonic`, `time.perf_counter`,
  `time.time` (their `_ns` forms), `time.localtime`/`gmtime`/`ctime`/`strftime`/
  `asctime` without a time argument, `datetime.datetime.now/utcnow/today` and
  `datetime.date.today` read the virtual clock.  `monotonic()` and `perf_counter()`
  equal `loop.time()`; `time.time()` is `EPOCH` (2024-01-01T00:00:00Z) plus the clock;
  local times use the machine's time zone.  Library code gets real time (a frozen clock
  hangs e.g. ProcessPoolExecutor's timeout loops).  A worker thread reads the clock as the
  loop last advanced it (the loop advances it by the real time waited, in slices of 50 ms,
  while threads are busy).
* `time.sleep(s)` from user code in the main thread returns at once and advances the
  clock by `s` (when other threads are busy it also sleeps for real, so they progress).
* Deadlock: when a loop has no ready callback, no timer, and no pending real work,
  nothing can ever run again: `CellStopped('deadlock')` is raised out of
  `run_forever`/`run_until_complete`/`asyncio.run` at once (a signal handler alone does
  not count as something that could run).
* Budget: when the clock would pass `budget` seconds after the cell's start, it stops at
  exactly the budget and `CellStopped('budget')` is raised (from the loop, or from
  `time.sleep`).  `stopped()` tells the cell's first stop, even when other exceptions
  followed it (asyncio.run cancelling tasks that await each other raises RecursionError).
  `while True: await asyncio.sleep(0)` never advances the clock: that
  needs the caller's wall-clock timeout (SIGINT); KeyboardInterrupt passes through.

Real clock (`begin_cell(virtual=False, ...)`): loops wait for real and `loop.time()`
advances with `time.monotonic()` (offset so the kernel clock stays continuous); `time.*`
and `datetime` are real.  No deadlock or budget detection.

Between `begin_cell` and `end_cell` (either clock) the `time` module's functions above
are wrappers (so `time.sleep` in a task can be reported); `end_cell` puts the originals
back.  Wrappers that user code kept a reference to serve real time outside cells.
`clock_seconds()` is the cell's clock since `begin_cell`, rounded to 1e-9, frozen at
`end_cell`.

The clock's state is one object, `STATE`.  `setup()` (once at kernel start, in the
thread that runs cells) makes the loops asyncio creates NoteLoops (see
`_noterun_compat.install_loop_factory`) and installs the datetime façades.  Loops running in
other threads, and loops not created through asyncio (e.g. `asyncio.SelectorEventLoop()`
called directly), are plain real-time asyncio loops.

Hooks for `_noterun_trace`: `task_hook`, `loop_hook`, `stop_hook`, `sleep_hook`.
"""

import asyncio
import concurrent.futures
import copyreg
import datetime
import functools
import itertools
import math
import os
import selectors
import sys
import sysconfig
import threading
import time
import weakref

import _noterun_compat as compat

__all__ = [
    "CellStopped", "NoteLoop", "setup", "begin_cell", "end_cell", "clock_seconds", "stopped",
]

EPOCH = 1704067200  # 2024-01-01T00:00:00Z: what time.time() reads at virtual clock 0
_POLL_SLICE = 0.05  # longest real wait before re-checking whether threads are still busy

# Real clocks, saved before anything is patched.
_real = {name: getattr(time, name) for name in (
    "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "time", "time_ns",
    "sleep", "localtime", "gmtime", "ctime", "strftime", "asctime")}
_real_monotonic = time.monotonic


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
_created = weakref.WeakKeyDictionary()  # task -> (its place in the order NoteLoops created
                                        # tasks, the cell that created it)
_creations = itertools.count()


def creation_order(task):
    """A sort key: tasks NoteLoops created, in the order they were created."""
    return _created.get(task, (-1, None))[0]


def creating_cell(task):
    """The index of the cell that created `task`, None for a task no NoteLoop created."""
    return _created.get(task, (-1, None))[1]

class ClockState:
    """The kernel clock: one per kernel process, `STATE`."""

    def __init__(self):
        self.virtual = True
        self.v_ns = 0           # virtual clock in whole nanoseconds
        self.vnow = 0.0         # the same, in seconds
        self.real_base = 0.0    # real mode: clock value at real_anchor
        self.real_anchor = 0.0
        self.in_cell = False
        self.cell_start = 0.0
        self.cell_end = 0.0
        self.cell_start_ns = 0
        self.cell = None        # index of the cell running (or that ran last)
        self.budget_ns = math.inf
        self.stopped = None     # status of the cell's first CellStopped
        self.jobs = 0           # executor jobs submitted through a NoteLoop, not yet finished
        self.jobs_lock = threading.Lock()
        self.main_thread = threading.get_ident()  # the thread whose loops follow the clock
        self.idle_worker = None  # code object of an idle ThreadPoolExecutor worker


STATE = ClockState()


def is_virtual():
    return STATE.virtual


def cell_start():
    """The kernel clock at the start of the current (or last) cell."""
    return STATE.cell_start


def now():
    """The kernel clock in seconds (virtual or real, whichever mode is on)."""
    state = STATE
    if state.virtual:
        return state.vnow
    return state.real_base + (_real_monotonic() - state.real_anchor)


def clock_seconds():
    """Seconds on the cell's clock since begin_cell (frozen at end_cell)."""
    state = STATE
    return round((now() if state.in_cell else state.cell_end) - state.cell_start, 9)


def stopped():
    """'deadlock' or 'budget' when the current (or last) cell was stopped, else None; the
    first stop counts, whatever the cell's code (or asyncio.run's cleanup) raised after it."""
    return STATE.stopped


def begin_cell(*, virtual, budget, cell=None):
    state = STATE
    state.cell = cell
    current = now()
    if virtual and not state.virtual:
        state.v_ns = max(state.v_ns, round(current * 1e9))
        state.vnow = state.v_ns / 1e9
    elif not virtual:
        state.real_base, state.real_anchor = current, _real_monotonic()
    state.virtual = virtual
    state.cell_start, state.cell_start_ns = now(), state.v_ns
    state.budget_ns = round(budget * 1e9) if budget < math.inf else math.inf
    state.in_cell = True
    state.stopped = None
    for name, patched in _PATCHES.items():
        setattr(time, name, patched)


def end_cell():
    state = STATE
    state.cell_end = now()
    state.in_cell = False
    for name, original in _real.items():
        setattr(time, name, original)


def _advance(ns, loop=None):
    """Moves the virtual clock forward; stops the cell at its budget."""
    state = STATE
    state.v_ns += ns
    if state.in_cell and state.v_ns - state.cell_start_ns > state.budget_ns:
        state.v_ns = state.cell_start_ns + state.budget_ns
        state.vnow = state.v_ns / 1e9
        _stop("budget", loop)
    state.vnow = state.v_ns / 1e9


def _stop(status, loop):
    if STATE.stopped is None:
        STATE.stopped = status
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


_SYSTEM_DIRS = ()  # set by setup()
_file_kinds = {}  # code filename -> "user" | "system" | "kernel"


def _file_kind(filename):
    kind = _file_kinds.get(filename)
    if kind is None:
        path = filename if filename.startswith("<") else os.path.abspath(filename)
        if path.startswith(_KERNEL_DIRS):
            kind = "kernel"
        elif path.startswith(_SYSTEM_DIRS or _system_dirs()) or path.startswith("<frozen "):
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
    """True when the caller of the patched function (two frames up) gets virtual time: user
    code in any thread (a to_thread worker's clock tells the same story as its caller's)."""
    state = STATE
    return (state.virtual and state.in_cell
            and is_user_file(sys._getframe(2).f_code.co_filename))


# --- patched time functions ----------------------------------------------------------------

@functools.wraps(time.monotonic)
def _monotonic():
    return STATE.vnow if _user_virtual() else _real["monotonic"]()


@functools.wraps(time.monotonic_ns)
def _monotonic_ns():
    return STATE.v_ns if _user_virtual() else _real["monotonic_ns"]()


@functools.wraps(time.perf_counter)
def _perf_counter():
    return STATE.vnow if _user_virtual() else _real["perf_counter"]()


@functools.wraps(time.perf_counter_ns)
def _perf_counter_ns():
    return STATE.v_ns if _user_virtual() else _real["perf_counter_ns"]()


@functools.wraps(time.time)
def _time():
    return EPOCH + STATE.vnow if _user_virtual() else _real["time"]()


@functools.wraps(time.time_ns)
def _time_ns():
    return EPOCH * 10**9 + STATE.v_ns if _user_virtual() else _real["time_ns"]()


@functools.wraps(time.localtime)
def _localtime(secs=None):
    if secs is None and _user_virtual():
        secs = EPOCH + STATE.vnow
    return _real["localtime"](secs)


@functools.wraps(time.gmtime)
def _gmtime(secs=None):
    if secs is None and _user_virtual():
        secs = EPOCH + STATE.vnow
    return _real["gmtime"](secs)


@functools.wraps(time.ctime)
def _ctime(secs=None):
    if secs is None and _user_virtual():
        secs = EPOCH + STATE.vnow
    return _real["ctime"](secs)


@functools.wraps(time.strftime)
def _strftime(format, *t):
    if not t and _user_virtual():
        t = (_real["localtime"](EPOCH + STATE.vnow),)
    return _real["strftime"](format, *t)


@functools.wraps(time.asctime)
def _asctime(*t):
    if not t and _user_virtual():
        t = (_real["localtime"](EPOCH + STATE.vnow),)
    return _real["asctime"](*t)


@functools.wraps(time.sleep)
def _sleep(secs):
    caller = sys._getframe(1)
    if (not STATE.in_cell or threading.get_ident() != STATE.main_thread
            or not is_user_file(caller.f_code.co_filename)):
        return _real["sleep"](secs)
    virtual = STATE.virtual and isinstance(secs, (int, float)) and 0 <= secs < math.inf
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
# datetime's classes are immutable C types whose now()/today() read the system clock in C,
# so the module's names are replaced for good (at setup) by façade subclasses.  Every
# datetime/date the note's code makes through them (constructors, now, today, fromtimestamp,
# fromisoformat, strptime, combine, arithmetic, replace, astimezone, .date(), min/max) is a
# façade instance, so `type(datetime.now()) is datetime` holds; reprs and the class's name
# read as the real ones'; isinstance/issubclass answer for the real class too; pickles name
# `datetime.datetime`, which is the real class in any other process.

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

    def __repr__(self):
        return "datetime." + super().__repr__()

    @classmethod
    def today(cls):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + STATE.vnow)
        return super().today()


class _Datetime(_real_datetime, metaclass=_FacadeMeta):
    _facade_of = _real_datetime

    def __repr__(self):
        return "datetime." + super().__repr__()

    def date(self):
        return _Date(self.year, self.month, self.day)

    @classmethod
    def now(cls, tz=None):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + STATE.vnow, tz)
        return super().now(tz)

    @classmethod
    def utcnow(cls):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + STATE.vnow, datetime.timezone.utc).replace(tzinfo=None)
        return super().utcnow()

    @classmethod
    def today(cls):
        if _user_virtual():
            return cls.fromtimestamp(EPOCH + STATE.vnow)
        return super().today()


for _facade, _name in ((_Date, "date"), (_Datetime, "datetime")):
    _facade.__module__, _facade.__name__, _facade.__qualname__ = "datetime", _name, _name
_Date.min, _Date.max = (_Date.fromordinal(d.toordinal()) for d in (_real_date.min, _real_date.max))
_Datetime.min, _Datetime.max = (_Datetime.combine(d.date(), d.time())
                                for d in (_real_datetime.min, _real_datetime.max))


def _install_datetime():
    datetime.date, datetime.datetime = _Date, _Datetime
    copyreg.pickle(_real_date, lambda d: (_Date, d.__reduce__()[1]))
    copyreg.pickle(_real_datetime, lambda d: (_Datetime, d.__reduce__()[1]))


# --- threads ---------------------------------------------------------------------------------

def _threads_busy():
    """True while an executor job is unfinished or a thread other than the main thread is
    doing something (idle ThreadPoolExecutor workers and the kernel's own threads don't)."""
    state = STATE
    if state.jobs:
        return True
    if threading.active_count() == 1:
        return False
    frames = sys._current_frames()
    for thread in threading.enumerate():
        if thread.ident == state.main_thread or thread.name.startswith("noterun"):
            continue
        frame = frames.get(thread.ident)
        if frame is not None and (state.idle_worker is None
                                  or frame.f_code is not state.idle_worker):
            return True
    return False


class _CountedJob:
    """An executor job that is counted as pending until it returns."""

    __slots__ = ("func",)

    def __init__(self, func):
        self.func = func

    def __call__(self, *args):
        try:
            return self.func(*args)
        finally:
            with STATE.jobs_lock:
                STATE.jobs -= 1


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
        if timeout == 0 or not STATE.virtual or not self._clocked:
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
        self._note_clocked = threading.get_ident() == STATE.main_thread
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
            task = super().create_task(coro, **kwargs)
        else:
            task = task_hook(self, coro, kwargs, super().create_task)
        _created[task] = (next(_creations), STATE.cell)
        return task

    def run_forever(self):
        if loop_hook is not None and self._note_clocked:
            loop_hook(self)
        return super().run_forever()

    def run_in_executor(self, executor, func, *args):
        if not self._note_clocked or not (
                executor is None or isinstance(executor, concurrent.futures.ThreadPoolExecutor)):
            return super().run_in_executor(executor, func, *args)
        with STATE.jobs_lock:
            STATE.jobs += 1
        try:
            future = super().run_in_executor(executor, _CountedJob(func), *args)
        except BaseException:
            with STATE.jobs_lock:
                STATE.jobs -= 1
            raise
        executor_calls[future] = callable_name(func)
        return future


def setup():
    """Once at kernel start, in the thread that runs the cells (again in a forked kernel:
    it only sets state): loops asyncio creates (asyncio.run, Runner, new_event_loop,
    get_event_loop) are NoteLoops, plain cells can hold the note's loop as their running
    loop, datetime's façades are installed, and this thread's loops follow the clock."""
    global _SYSTEM_DIRS
    STATE.main_thread = threading.get_ident()
    STATE.idle_worker = compat.idle_worker_code()
    _SYSTEM_DIRS = _system_dirs()
    _file_kinds.clear()
    compat.install_loop_factory(NoteLoop)
    compat.install_running_loop_hold()
    _install_datetime()
