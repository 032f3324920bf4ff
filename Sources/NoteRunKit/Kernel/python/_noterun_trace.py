"""Suspension traces: what every asyncio task of a cell did, and when.

Importing this module hooks it into `_noterun_clock.NoteLoop`: every task a NoteLoop in the
main thread creates (`asyncio.create_task`, `gather`, `TaskGroup`, `asyncio.run`'s main
task, the kernel's top-level-await task, eager tasks on 3.12+) runs its coroutine through a
proxy that records each step.  `end_cell()` returns the cell's trace as a dict that decodes
as the Swift `Trace` (Sources/NoteRunKit/Trace/Trace.swift); keys whose value would be null
are left out.

What a trace holds
* `clock`: "virtual" or "real"; `end`: the cell's clock at its end.  All times are seconds
  on the cell's clock since the cell began, rounded to 1e-6, so virtual runs of the same
  note give byte-identical traces.
* `tasks`: every task created in the cell or active in it, by `id` (kernel-wide creation
  order).  Names are Python's own (`task.get_name()`: unnamed tasks are `Task-N` from
  asyncio's counter, which starts at 1 in each kernel, so names are stable run to run).
  The coroutine of a top-level-await cell's task is `<module>`, as tracebacks call a
  cell's code.
  `parent`: id of the task that created it; `origin`: the note line that created it (the
  first frame outside the standard library and the kernel).  Tasks that existed before
  the cell have `created` 0 and no `create` event.
* `events`, in order: `create` (origin), `resume`, `suspend` (`what` it awaits, `chain`
  from the task's coroutine to the innermost awaiting one, kernel frames left out, each
  `function` and origin:
  `locate(file, line)` for user code, `module.py:LINE` otherwise), `print` (text, stream
  and origin, the innermost line of user code that wrote it; consecutive writes of one task
  at one instant are merged; prints made outside any task are not traced), `block` (`seconds` and origin: a `time.sleep(s)` by user code
  inside a task, any s under the virtual clock, s >= 0.1 under the real one; or a step
  that otherwise held the loop >= 0.1 s of real time, origin being where it then
  suspended, none if it ended), `end` (`text`: repr of the result, shortened,
  `Type: message` of the exception, or `cancelled`; origin: for an exception, where it
  left the note's code).  The cell's own task (role "cell") has the cell's first line of
  code as its origin.
* `what`, from the outermost asyncio coroutine in the chain: `sleep(1.0)` (the delay as
  written), `sleep(0)`, `wait_for(…, 0.2)`, `wait(2)`, `to_thread(fn)`, `TaskGroup`, else
  its name (`Queue.get()`, `Event.wait()`, `Lock.acquire()`, `Condition.wait()`,
  `Semaphore.acquire()`, `StreamReader.readline()`, …); without one, from the awaited
  object: `Task 'worker-2'`, `gather(3)`, `run_in_executor(fn)`, `Future`, or `yield`.
* Bounded: the first `limit` events are kept; later ones are only counted in
  `omitted.events`, and the omitted suspensions per (task, what) in `omitted.sites`, the
  50 largest first.
* `waiting`, with `what` and `chain`: when the cell stopped (deadlock or budget), every
  task then pending on the stopped loop (or on the loops the cell ran), as it was at that
  moment; otherwise the tasks of this trace still pending when the cell ended.  `what`
  may also be `not started`, or `running` (stopped inside its own step).

Tasks created while tracing is off are still named and wrapped, and show in later traces.
The proxy adds one frame of this module to tracebacks of exceptions raised in tasks (the
kernel leaves frames of its own folder out of the tracebacks it reports).
"""

import asyncio
import gc
import inspect
import os
import reprlib
import sys
import time
import types
import weakref
from collections.abc import Coroutine

import _noterun_clock as clock
import _noterun_compat as compat

__all__ = ["install", "begin_cell", "current_task", "record_output", "end_cell"]

BLOCKING = 0.1  # real seconds a step may hold the loop before it is a `block` event
MAX_SITES = 50
MAX_TEXT = 2000

_ASYNCIO_DIR = os.path.join(os.path.dirname(asyncio.__file__), "")
_UNTRACED = {"BaseEventLoop.shutdown_asyncgens", "BaseEventLoop.shutdown_default_executor"}
_COROUTINE = types.CoroutineType
_GENERATOR = types.GeneratorType
_ASYNC_GENERATOR = types.AsyncGeneratorType
_ASYNC_GENERATOR_STEPS = ("async_generator_asend", "async_generator_athrow")
_perf = time.perf_counter
_now = clock.now
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 80

# Wake causes as recorded: (kind, waker's _TaskRecord or None, (file, line) or None, what,
# index of the waker's resume event or None).
_START = ("start", None, None, None, None)
_YIELD = ("yield", None, None, None, None)
_UNKNOWN = ("unknown",)  # woken while its cell's events were only counted

_active = None    # the _Recorder of the current cell while tracing is on
_stepping = None  # the _TaskRecord whose step is running (None between steps)
_next_id = 0


class _TaskRecord:
    __slots__ = ("id", "name", "coroutine", "parent", "created", "origin", "end", "task",
                 "recorder", "role", "wake", "ready", "since", "step", "deadlocked", "site",
                 "site_count")

    def __init__(self, id, name, coroutine, parent, created, origin):
        self.id, self.name, self.coroutine, self.parent = id, name, coroutine, parent
        self.created, self.origin = created, origin
        self.end = None       # (time, state, detail)
        self.task = None      # weakref to the asyncio.Task
        self.recorder = None  # the last _Recorder it appeared in
        self.role = None      # "cell" for a top-level-await cell's own task
        self.wake = _START    # what made it ready, until its next recorded resume; None: itself
        self.ready = created  # when it became ready
        self.since = None     # when its last recorded suspension began
        self.step = None      # index of its last recorded resume event in its recorder
        self.deadlocked = False  # listed as deadlocked by an earlier cell
        self.site = None      # where its counted suspensions are, past the event limit,
        self.site_count = 0   # and how many there are not yet in its recorder's `sites`


class _TracedCoroutine:
    """Stands in for a task's coroutine and records each step the task makes."""

    __slots__ = ("_coro", "_record")

    def __init__(self, coro, record):
        self._coro = coro
        self._record = record

    def send(self, value=None):
        recorder = _active
        if recorder is None:
            return self._coro.send(value)
        if recorder.room:
            return _step(recorder, self, self._coro.send, value)
        # Past the limit, the hot path of large traces, inlined (a call costs ~5 % of a
        # step): the step's resume and suspension are only counted, the suspension per
        # await site (where the task's own coroutine awaits: its frame's last instruction).
        # Steps are not timed: a block event here would only be counted.
        record = self._record
        if record.recorder is not recorder:
            recorder.see(record)
        coro = self._coro
        try:
            result = coro.send(value)
        except BaseException as error:
            _counted_end(recorder, record, error)
            raise
        recorder.omitted += 2
        if type(coro) is _COROUTINE and coro.cr_frame.f_lasti == record.site:
            record.site_count += 1
        else:
            _count_site(recorder, record, coro, result)
        return result

    __next__ = send

    def throw(self, *args):
        recorder = _active
        if recorder is None:
            return self._coro.throw(*args)
        if recorder.room:
            error = args[1] if len(args) > 1 and args[1] is not None else args[0]
            return _step(recorder, self, lambda _: self._coro.throw(*args), None,
                         error.__name__ if isinstance(error, type) else _exception_text(error))
        record = self._record
        if record.recorder is not recorder:
            recorder.see(record)
        try:
            result = self._coro.throw(*args)
        except BaseException as error:
            _counted_end(recorder, record, error)
            raise
        recorder.omitted += 2
        _count_site(recorder, record, self._coro, result)
        return result

    def close(self):
        return self._coro.close()

    def __await__(self):
        return self

    def __iter__(self):
        return self

    def __getattr__(self, name):
        # What asyncio and debuggers read from a coroutine (Task repr, get_stack):
        # __qualname__, cr_code, cr_frame, cr_await, cr_running, ...
        if name in ("_coro", "_record"):
            raise AttributeError(name)
        return getattr(self._coro, name)


Coroutine.register(_TracedCoroutine)


class _Recorder:
    """The events of one cell.  They are kept in one flat list, five values per event
    (time, task id, kind, a, b), of atomic values only: the garbage collector then
    stops tracking them, which matters with thousands of events."""

    def __init__(self, limit, locate, code):
        self.room = max(0, limit)
        self.locate = locate
        self.code = code     # the cell's first code object: where its own task begins
        self.start = clock.now()
        self.events = []
        self.omitted = 0
        self.sites = {}      # (task id, await site) -> omitted suspensions
        self.site_names = {}  # (task id, await site) -> what it awaited there first
        self.chains = {}     # interned raw chains
        self.records = []    # tasks in this cell's trace
        self.loops = []      # loops that ran during the cell
        self.waiting = None  # snapshot taken when the cell was stopped
        self.excused = 0.0   # seconds of time.sleep already reported as block events
        self.carried = {}    # task id -> (since, what, raw chain) when the cell began
        self.stop = None     # (status, time, index of the next event) once the clock stopped it

    def see(self, record):
        previous = record.recorder
        if previous is not None and not previous.room:
            # Its steps after that cell's limit were not followed: when it last suspended,
            # and what woke it before this cell, are unknown.
            record.since = None
            if record.ready < self.start:
                record.wake = _UNKNOWN
        record.recorder = self
        self.records.append(record)
        if record.created < self.start:
            self.carried[record.id] = _carried_wait(record, self.start)

    def add(self, time, task, kind, a=None, b=None):
        if self.room:
            self.room -= 1
            self.events += (time, task, kind, a, b)
            if not self.room:
                self.full()
        else:
            self.omitted += 1

    def full(self):
        """No room is left: wakes are no longer followed (their resumes are only counted)."""
        for loop in self.loops:
            _unhook(loop)

    def finish(self, record, state, value, held):
        """The task's end: `value` is its result when done, else the exception that ended it."""
        if held >= BLOCKING:
            self.add(_now(), record.id, "block", held)
        if state == "done":
            detail = _safe_repr(value)
        elif state == "failed":
            detail = _exception_text(value)
        else:
            detail = None
        task = record.task and record.task()
        if task is not None:
            record.name = task.get_name()
        record.end = (_now(), state, detail)
        site = _raised_site(value) if self.room and state != "done" else None
        self.add(record.end[0], record.id, "end", detail or state, site)

    def pending(self, loops, everyone):
        """Waiting entries for the traced tasks still pending on these loops: all of them,
        or only those that took part in this cell."""
        found = {}
        for loop in loops:
            for task in asyncio.all_tasks(loop):
                coro = task.get_coro()
                if isinstance(coro, _TracedCoroutine):
                    found[coro._record.id] = (coro._record, coro._coro)
        waiting = []
        for _, (record, coro) in sorted(found.items()):
            if record.recorder is not self:
                # A task an earlier cell already reported stuck is not news, unless this
                # cell made it take part.
                if not everyone or record.deadlocked:
                    continue
                self.see(record)
            what, chain = _describe(coro, _LOOK_UP, True)
            state = inspect.getcoroutinestate(coro) if inspect.iscoroutine(coro) else None
            if state == "CORO_CREATED":
                what = "not started"
            elif state == "CORO_RUNNING":
                what = "running"  # stopped inside its own step, e.g. in time.sleep
            waiting.append((record.id, what, chain, record.since))
        return waiting


def _step(recorder, proxy, method, arg, thrown=None):
    """Runs one step of a traced task, while there is room for events: a resume event (what
    woke it, since when it was ready, what was thrown into it), then a suspend (what it
    awaits and its chain) or the task's end, and a block event if the step held the loop."""
    global _stepping
    record = proxy._record
    if record.recorder is not recorder:
        recorder.see(record)
    recorder.room -= 1
    wake = record.wake
    if wake is None:  # its own step rescheduled it (sleep(0), a bare yield)
        wake, ready = _YIELD, record.since
    elif wake is _UNKNOWN:
        record.wake = wake = ready = None
    else:
        record.wake, ready = None, record.ready
    events = recorder.events
    record.step = len(events) // 5
    events += (_now(), record.id, "resume", wake, (ready, thrown))
    if not recorder.room:
        recorder.full()
    outer, _stepping = _stepping, record  # an eager task steps inside its creator's step
    excused = recorder.excused
    started = _perf()
    try:
        result = method(arg)
    except BaseException as error:
        _stepping = outer
        _ended(recorder, record, error, _perf() - started - (recorder.excused - excused))
        raise
    _stepping = outer
    held = _perf() - started
    if held >= BLOCKING and held - (recorder.excused - excused) >= BLOCKING:
        recorder.add(_now(), record.id, "block", held - (recorder.excused - excused),
                     _innermost_user_site(proxy._coro))
    if recorder.room:
        recorder.room -= 1
        what, chain = _describe(proxy._coro, result, True)
        record.since = now = _now()
        recorder.events += (now, record.id, "suspend", what,
                            recorder.chains.setdefault(chain, chain))
        if not recorder.room:
            recorder.full()
    else:
        recorder.omitted += 1
        _count_site(recorder, record, proxy._coro, result)
    return result


def _counted_end(recorder, record, error):
    """A counted step that ended its task: its resume is counted, its end recorded."""
    recorder.omitted += 1
    _ended(recorder, record, error, 0.0)


def _count_site(recorder, record, coro, result):
    """A counted suspension at another site than the task's previous one: the previous
    site's count is settled, the new one named by what the task awaits there now."""
    _settle_site(recorder, record)
    site = coro.cr_frame.f_lasti if type(coro) is _COROUTINE else _what(coro, result)
    key = (record.id, site)
    if key not in recorder.site_names:
        recorder.site_names[key] = _what(coro, result)
    record.site, record.site_count = site, 1


def _settle_site(recorder, record):
    if record.site_count:
        key = (record.id, record.site)
        recorder.sites[key] = recorder.sites.get(key, 0) + record.site_count
        record.site, record.site_count = None, 0


def _ended(recorder, record, error, held):
    """A step that ended its task by returning (StopIteration), cancelled or failed."""
    if isinstance(error, StopIteration):
        recorder.finish(record, "done", error.value, held)
    elif isinstance(error, asyncio.CancelledError):
        recorder.finish(record, "cancelled", error, held)
    else:
        recorder.finish(record, "failed", error, held)


# --- describing what a task awaits ----------------------------------------------------------

def _sleep_label(coro, awaited):
    if compat.is_sleep_zero(awaited):
        return "sleep(0)"
    return f"sleep({_safe_repr(compat.argument(coro, 'delay'))})"


def _wait_for_label(coro, awaited):
    return f"wait_for(…, {_safe_repr(compat.argument(coro, 'timeout'))})"


def _wait_label(coro, awaited):
    awaitables = compat.argument(coro, "fs")
    return f"wait({len(awaitables)})" if hasattr(awaitables, "__len__") else "wait()"


def _to_thread_label(coro, awaited):
    return f"to_thread({clock.callable_name(compat.argument(coro, 'func'))})"


_SPECIAL_LABELS = {
    "sleep": _sleep_label,
    "wait_for": _wait_for_label,
    "wait": _wait_label,
    "to_thread": _to_thread_label,
    "TaskGroup.__aexit__": lambda *_: "TaskGroup",
    "TaskGroup._aexit": lambda *_: "TaskGroup",
}
_codes = {}  # id(code) -> (code, qualname, label function or False if not asyncio's, shown)


def _code_entry(obj, code):
    name = obj.__qualname__
    label = False
    # The kernel's frame (the top-level-await cell's runner) is no part of the user's chain.
    shown = not clock.is_kernel_file(code.co_filename)
    if code.co_filename.startswith(_ASYNCIO_DIR):
        if name in _SPECIAL_LABELS:
            label = _SPECIAL_LABELS[name]
        elif not name.endswith((".__aenter__", ".__aexit__")):
            # (`async with lock:` reads better as what __aenter__ awaits.)
            text = name.split(".<locals>")[0] + "()"

            def label(*_):
                return text
    entry = _codes[id(code)] = (code, name, label, shown)
    return entry


_LOOK_UP = object()


def _describe(coro, result, with_chain):
    """(what, chain) for a task suspended in `coro` after yielding `result` (or _LOOK_UP:
    find it from what the innermost coroutine awaits).  The chain is raw, a flat tuple
    (id of code, f_lasti, ...), made into functions and lines when the trace is built."""
    chain = [] if with_chain else None
    what = None
    obj = coro
    while obj is not None:
        kind = type(obj)
        if kind is _COROUTINE:
            frame, awaited = obj.cr_frame, obj.cr_await
        elif kind is _GENERATOR:
            frame, awaited = obj.gi_frame, obj.gi_yieldfrom
        elif kind is _ASYNC_GENERATOR:
            frame, awaited = obj.ag_frame, obj.ag_await
        elif kind.__name__ in _ASYNC_GENERATOR_STEPS:  # `async for`: find its generator
            obj = compat.async_generator_of(obj)
            continue
        else:
            if result is _LOOK_UP:  # a suspended task's future, held by e.g. a FutureIter
                result = compat.future_of(obj)
            break
        if frame is None:
            break
        code = frame.f_code
        key = id(code)
        entry = _codes.get(key) or _code_entry(obj, code)
        if what is None and entry[2]:
            what = entry[2](obj, awaited)
            if chain is None:
                break
        if chain is not None and entry[3]:
            chain += (key, frame.f_lasti)
        obj = awaited
    if what is None:
        what = _describe_result(None if result is _LOOK_UP else result)
    return what, tuple(chain) if chain else None


def _what(coro, result):
    """`_describe(coro, result, False)[0]`, for every step past the limit: it reads each
    coroutine's code, not its frame (a frame object is made on first access, and each
    `await asyncio.sleep` is a new coroutine)."""
    obj = coro
    while type(obj) is _COROUTINE:
        code = obj.cr_code
        entry = _codes.get(id(code)) or _code_entry(obj, code)
        if entry[2]:
            return entry[2](obj, obj.cr_await)
        obj = obj.cr_await
    if obj is None or type(obj) is _GENERATOR and obj.gi_frame is None:
        return _describe_result(result)
    return _describe(obj, result, False)[0]  # the frames above had no label


def _describe_result(result):
    if result is None:
        return "yield"
    if isinstance(result, asyncio.Task):
        return f"Task '{result.get_name()}'"
    if isinstance(result, asyncio.Future):
        children = compat.gather_children(result)
        if children is not None:
            return f"gather({len(children)})"
        function = clock.executor_calls.get(result)
        if function:
            return f"run_in_executor({function})"
        inner = compat.shield_inner(result)
        return f"shield({_describe_result(inner)})" if inner is not None else "Future"
    return type(result).__name__


def _line_of(code, lasti):
    for start, end, line in code.co_lines():
        if start <= lasti < end and line is not None:
            return line
    return code.co_firstlineno


def _innermost_user_site(coro):
    site = None
    while type(coro) in (_COROUTINE, _GENERATOR):
        frame = coro.cr_frame if type(coro) is _COROUTINE else coro.gi_frame
        if frame is None:
            break
        if clock.is_user_file(frame.f_code.co_filename):
            site = (frame.f_code.co_filename, frame.f_lineno)
        coro = coro.cr_await if type(coro) is _COROUTINE else coro.gi_yieldfrom
    return site


def _raised_site(error):
    """(file, line) of the innermost frame of user code the exception passed through."""
    site = None
    tb = getattr(error, "__traceback__", None)
    while tb is not None:
        if clock.is_user_file(tb.tb_frame.f_code.co_filename):
            site = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return site


def _first_line(code):
    """(file, line) of a module code object's first statement: its preamble instructions
    are on line 0 or `co_firstlineno` (1 for a module, wherever its statements are)."""
    first = code.co_firstlineno
    lines = [line for _, _, line in code.co_lines() if line and line != first]
    return (code.co_filename, min(lines) if lines else first)


def _safe_repr(value):
    try:
        return _repr.repr(value)
    except Exception:
        return f"<{type(value).__name__}>"


def _exception_text(error):
    try:
        message = str(error)
    except Exception:
        message = ""
    text = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return _clip(text, 200)


def _clip(text, limit=MAX_TEXT):
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- hooks called by NoteLoop and the clock ---------------------------------------------------

def _create_task(loop, coro, kwargs, create):
    global _next_id
    qualname = getattr(coro, "__qualname__", None) or type(coro).__name__
    if qualname in _UNTRACED or isinstance(coro, _TracedCoroutine):
        return create(coro, **kwargs)
    parent = asyncio.current_task(loop) if loop.is_running() else None
    parent_coro = parent.get_coro() if parent is not None else None
    parent_id = parent_coro._record.id if isinstance(parent_coro, _TracedCoroutine) else None
    origin, by_kernel = _creation_site(sys._getframe(2))
    # Python names the task (an unnamed one is `Task-N` from asyncio's own counter, as in a
    # script); an eager task's first step runs inside `create`, under the name given if any.
    name = kwargs.get("name")
    _next_id += 1
    record = _TaskRecord(_next_id, "" if name is None else str(name), qualname, parent_id,
                         _now(), origin)
    recorder = _active
    if parent is None and by_kernel:
        record.role = "cell"
        if recorder is not None and recorder.code is not None:
            record.origin = origin = _first_line(recorder.code)
    if recorder is not None:
        recorder.see(record)
        recorder.add(record.created, record.id, "create", origin)
    task = create(_TracedCoroutine(coro, record), **kwargs)
    record.name = task.get_name()
    record.task = weakref.ref(task)
    return task


def _creation_site(frame):
    """(file, line) of the first user frame that led to creating a task, and whether the
    kernel created it (the top-level-await cell's own task)."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if clock.is_user_file(filename):
            return (filename, frame.f_lineno), False
        if clock.is_kernel_file(filename):
            return None, True
        frame = frame.f_back
    return None, False


def _loop_started(loop):
    recorder = _active
    if recorder is not None and loop not in recorder.loops:
        recorder.loops.append(loop)
        if recorder.room:
            _hook(loop)


def _stopping(status, loop):
    recorder = _active
    if recorder is not None and recorder.waiting is None:  # the first stop tells the story
        recorder.waiting = recorder.pending([loop] if loop is not None else recorder.loops, True)
        recorder.stop = (status, _now(), len(recorder.events) // 5)
        if status == "deadlock":
            records = {record.id: record for record in recorder.records}
            for task, *_ in recorder.waiting:
                records[task].deadlocked = True


def _sleeping(seconds, frame, real):
    """time.sleep by user code in a task: a block event when virtual, or when it holds
    the loop for long enough.  Only a sleep that takes real time is excused from the
    step's own hold (a virtual one takes none, and CPU work around it still counts)."""
    recorder = _active
    record = _current_record() if recorder is not None else None
    if record is None or not isinstance(seconds, (int, float)):
        return
    if clock.is_virtual() or seconds >= BLOCKING:
        if record.recorder is not recorder:
            recorder.see(record)
        if real:
            recorder.excused += seconds
        recorder.add(_now(), record.id, "block", seconds, (frame.f_code.co_filename,
                                                           frame.f_lineno))


# --- what woke a task ----------------------------------------------------------------------
# While a traced cell has room for events, each loop it runs has its `call_soon` wrapped (an
# attribute of the loop object, so untraced cells pay nothing).  asyncio makes a task ready
# by `call_soon(task's wake-up or step, ...)`: from `Future.set_result` when what it awaits
# completes, from `Task.cancel`, from the task's own step when it yields.  At that moment
# the running task (if any), the frames on the stack and the future tell who woke it.

def _hook(loop):
    if "call_soon" in vars(loop):
        return
    call = loop.call_soon

    def call_soon(callback, *args, context=None):
        _woken(callback, args)
        return call(callback, *args, context=context)

    loop.call_soon = call_soon


def _unhook(loop):
    vars(loop).pop("call_soon", None)


def _woken(callback, args):
    task = compat.woken_task(callback)
    if task is None:
        return
    proxy = task.get_coro()
    if type(proxy) is not _TracedCoroutine:
        return
    record = proxy._record
    record.ready = _now()
    try:
        record.wake = _wake_cause(proxy, args[0] if args else None, _stepping, sys._getframe(2))
    except Exception:  # an odd frame or future must not break the loop: a vaguer label
        record.wake = ("loop", None, None, None, None)


def _wake_cause(proxy, future, waker, frame):
    """The cause tuple for the task of `proxy` woken by `future` completing, while `waker` (a
    record or None) runs, `frame` being the caller of `call_soon`."""
    # From the caller outwards: the innermost frame of user code and the asyncio function it
    # called, or else the loop callback (the frame the loop's Handle._run called).
    site = api = callback = None
    inner = None
    while frame is not None:
        code = frame.f_code
        if compat.is_loop_runner(code):
            callback = inner
            break
        if clock.is_user_file(code.co_filename):
            site = (code.co_filename, frame.f_lineno)
            if inner is not None and inner.f_code.co_filename.startswith(_ASYNCIO_DIR):
                api = _api_label(inner)
            break
        inner = frame
        frame = frame.f_back
    step = waker.step if waker is not None else None
    known = compat.asyncio_callback(callback.f_code) if callback is not None else None
    done = compat.done_argument(callback, future) if callback is not None and known else None
    if isinstance(future, asyncio.Task):  # it awaited this task, which ended (maybe cancelled)
        by = _record_of(future)
        return ("done", by, None, f"Task '{future.get_name()}'",
                by.step if by is not None else None)
    if future is not None and future.cancelled():
        by = waker
        if by is None and done is not None:  # a TaskGroup or gather cancels after a failure
            by = _record_of(done)
            step = by.step if by is not None else None
        return ("cancel", by, site, api or (known[1] if known else None), step)
    if site is not None:
        what = api or _settled(future)
        return ("call" if waker is not None else "callback", waker, site, what, step)
    if known is not None:
        kind, label = known
        if kind == "executor":
            label = _what(proxy._coro, future)  # `to_thread(fn)` or `run_in_executor(fn)`
        elif done is not None:  # a done-callback: the future it reports on woke the task
            waker = _record_of(done)
            step = waker.step if waker is not None else None
            if kind == "timer":
                kind, label = "done", _describe_result(done)
        return (kind, waker, None, label, step)
    if future is not None and future in clock.executor_calls:
        return ("executor", None, None, _what(proxy._coro, future), None)
    if callback is None and inner is None and waker is None and future is not None:
        # The loop called a future's own method (`call_later(1, fut.set_result, 3)`).
        return ("callback", None, None, _settled(future), None)
    what = compat.qualified_name(callback) if callback is not None else None
    return ("loop", waker, None, what, step)


def _api_label(frame):
    """`Queue.put` for a frame of Queue.put; `async with lock:` ends in `Lock.release`."""
    qualname = compat.qualified_name(frame)
    if qualname.endswith("__aexit__"):
        owner = compat.release_owner(frame) or qualname.rpartition(".")[0]
        return f"{owner}.release"
    return qualname


def _settled(future):
    if future is None:
        return None
    if future.exception() is not None:
        return "Future.set_exception"
    return "Future.set_result"


def _record_of(task):
    coro = task.get_coro() if isinstance(task, asyncio.Task) else None
    return coro._record if type(coro) is _TracedCoroutine else None


def _carried_wait(record, start):
    """(since, what, raw chain) of a task from an earlier cell, as the cell began at `start`
    (it may have been woken in the cell since)."""
    task = record.task and record.task()
    coro = task.get_coro() if task is not None else None
    if type(coro) is not _TracedCoroutine:
        return (None, "ready", None)
    inner = coro._coro
    if inspect.iscoroutine(inner) and inspect.getcoroutinestate(inner) == "CORO_CREATED":
        return (None, "not started", None)
    if record.wake is not None and record.wake is not _UNKNOWN and record.ready < start:
        return (record.ready, "ready", None)
    what, chain = _describe(inner, _LOOK_UP, True)
    return (record.since, what, chain)


def install():
    """Once at kernel start: the clock's loops report to this module."""
    clock.task_hook = _create_task
    clock.loop_hook = _loop_started
    clock.stop_hook = _stopping
    clock.sleep_hook = _sleeping


def _current_record():
    task = current_task()
    coro = task.get_coro() if task is not None else None
    return coro._record if isinstance(coro, _TracedCoroutine) else None


# --- the interface --------------------------------------------------------------------------

def begin_cell(*, enabled, limit, locate, code=None):
    """Before each cell. locate(code_filename, lineno) -> "file:LINE" for user code; `code`:
    the cell's first code object, where the cell's own task begins."""
    global _active
    _active = _Recorder(limit, locate, code) if enabled else None


def current_task():
    """The running asyncio task (of this thread's running loop), None outside tasks."""
    loop = asyncio._get_running_loop()
    return asyncio.current_task(loop) if loop is not None else None


def record_output(stream, text):
    """A write to stdout/stderr: a `print` event of the running task, if any."""
    recorder = _active
    record = _current_record() if recorder is not None and text else None
    if record is None:
        return
    if record.recorder is not recorder:
        recorder.see(record)
    now = _now()
    events = recorder.events
    if events[-5:-2] == [now, record.id, "print"] and events[-1][0] == stream:
        events[-2] = _clip(events[-2] + text)  # the same print, written in pieces
    elif recorder.room:
        recorder.add(now, record.id, "print", _clip(text), (stream, _writer_site()))
    else:
        recorder.omitted += 1


def _writer_site():
    """(file, line) of the innermost frame of user code on the stack: the line that printed."""
    frame = sys._getframe(2)
    while frame is not None:
        if clock.is_user_file(frame.f_code.co_filename):
            return (frame.f_code.co_filename, frame.f_lineno)
        frame = frame.f_back
    return None


def end_cell():
    """After each cell: its trace as a JSON-ready dict, or None when tracing is off."""
    global _active
    recorder, _active = _active, None
    if recorder is None:
        return None
    for loop in recorder.loops:
        _unhook(loop)
    if not recorder.records:
        return None  # no asyncio task ran: nothing to trace
    collecting = gc.isenabled()
    gc.disable()  # building many small dicts makes no garbage; don't scan them over and over
    try:
        return _Builder(recorder).trace()
    finally:
        if collecting:
            gc.enable()


class _Builder:
    """Turns a recorder's raw events into the trace's JSON object."""

    def __init__(self, recorder):
        self.recorder = recorder
        self.start = clock.cell_start()
        self.origins = {}  # (file, line) -> "file:LINE"
        self.frames = {}   # (id of code, lasti) -> chain item

    def time(self, t):
        return round(t - self.start, 6) + 0.0  # + 0.0 turns -0.0 into 0.0

    def origin(self, site):
        if site is None:
            return None
        text = self.origins.get(site)
        if text is None:
            filename, line = site
            if clock.is_user_file(filename):
                try:
                    text = self.recorder.locate(filename, line)
                except Exception:
                    text = None
            text = self.origins[site] = text or f"{os.path.basename(filename)}:{line}"
        return text

    def chain(self, raw):
        items = []
        for i in range(0, len(raw or ()), 2):
            key = raw[i:i + 2]
            item = self.frames.get(key)
            if item is None:
                code, function, _, _ = _codes[raw[i]]
                site = (code.co_filename, _line_of(code, raw[i + 1]))
                item = {"function": function, "origin": self.origin(site)}
                if not clock.is_user_file(code.co_filename):
                    item["library"] = True
                self.frames[key] = item
            items.append(item)
        return items

    def task(self, record):
        task = record.task and record.task()
        if task is not None:
            record.name = task.get_name()
        item = {"id": record.id, "name": record.name, "coroutine": record.coroutine}
        if record.parent is not None:
            item["parent"] = record.parent
        item["created"] = max(0.0, self.time(record.created))
        if record.origin is not None:
            item["origin"] = self.origin(record.origin)
        if record.end is not None:
            end_time, state, detail = record.end
            item["end"] = {"time": self.time(end_time), "state": state}
            if detail is not None:
                item["end"]["detail"] = detail
        if record.role is not None:
            item["role"] = record.role
        carried = self.recorder.carried.get(record.id)
        if carried is not None:
            since, what, chain = carried
            item["carried"] = {"what": what, "chain": self.chain(chain)}
            if since is not None:
                item["carried"]["since"] = self.time(since)
        return item

    def wake(self, cause):
        kind, by, site, what, step = cause
        item = {"kind": kind}
        if by is not None:
            item["by"] = by.id
        if site is not None:
            item["at"] = self.origin(site)
        if what is not None:
            item["what"] = what
        if step is not None:
            item["step"] = step
        return item

    def event(self, t, task, kind, a, b):
        item = {"time": self.time(t), "task": task, "kind": kind}
        if kind == "resume":
            ready, thrown = b
            if ready is not None:
                ready = self.time(ready)
                if ready != item["time"]:
                    item["ready"] = ready
            if a is not None:
                item["wake"] = self.wake(a)
            if thrown is not None:
                item["thrown"] = thrown
        elif kind == "suspend":
            item["what"] = a
            item["chain"] = self.chain(b)
        elif kind == "create":
            if a is not None:
                item["origin"] = self.origin(a)
        elif kind == "print":
            item["text"], item["stream"] = a, b[0]
            if b[1] is not None:
                item["origin"] = self.origin(b[1])
        elif kind == "block":
            item["seconds"] = round(a, 6)
            if b is not None:
                item["origin"] = self.origin(b)
        elif kind == "end":
            item["text"] = a
            if b is not None:
                item["origin"] = self.origin(b)
        return item

    def trace(self):
        recorder = self.recorder
        waiting = recorder.waiting
        if waiting is None:
            waiting = recorder.pending(recorder.loops, False)
        records = {record.id: record for record in recorder.records}
        raw = recorder.events
        shown = records
        sites = []
        if recorder.omitted:
            for record in recorder.records:
                _settle_site(recorder, record)
            named_sites = {}
            for key, count in recorder.sites.items():
                site = (key[0], recorder.site_names[key])
                named_sites[site] = named_sites.get(site, 0) + count
            sites = sorted(named_sites.items(), key=lambda item: (-item[1], item[0]))
            sites = sites[:MAX_SITES]
            # Tasks none of whose events were kept are only counted: listing ten thousand of
            # them costs more than tracing their steps did.
            named = set(raw[1::5]).union(task for (task, _), _ in sites)
            named.update(entry[0] for entry in waiting)
            named.update(records[key].parent for key in list(named)
                         if key in records and records[key].parent is not None)
            shown = {key: records[key] for key in named if key in records}
        trace = {
            "clock": "virtual" if clock.is_virtual() else "real",
            "end": self.time(self.start + clock.clock_seconds()),
            "tasks": [self.task(shown[key]) for key in sorted(shown)],
            "events": [self.event(*raw[i:i + 5]) for i in range(0, len(raw), 5)],
            "waiting": [self.waiting(*entry) for entry in waiting],
        }
        if recorder.omitted:
            trace["omitted"] = {
                "events": recorder.omitted,
                "sites": [{"task": task, "what": what, "count": count}
                          for (task, what), count in sites],
            }
            if len(shown) < len(records):
                trace["omitted"]["tasks"] = len(records) - len(shown)
        if recorder.stop is not None:
            status, time, index = recorder.stop
            trace["stop"] = {"status": status, "time": self.time(time)}
            if index < len(raw) // 5:
                trace["stop"]["event"] = index
        return trace

    def waiting(self, task, what, chain, since):
        item = {"task": task, "what": what, "chain": self.chain(chain)}
        if since is not None:
            item["since"] = self.time(since)
        return item
