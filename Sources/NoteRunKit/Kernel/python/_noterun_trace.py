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
  `locate(file, line)` for user code, `module.py:LINE` otherwise), `print` (text and
  stream; consecutive writes of one task at one instant are merged; prints made outside
  any task are not traced), `block` (`seconds` and origin: a `time.sleep(s)` by user code
  inside a task, any s under the virtual clock, s >= 0.1 under the real one; or a step
  that otherwise held the loop >= 0.1 s of real time, origin being where it then
  suspended, none if it ended), `end` (`text`: repr of the result, shortened,
  `Type: message` of the exception, or `cancelled`).
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

__all__ = ["begin_cell", "current_task", "record_output", "end_cell"]

BLOCKING = 0.1  # real seconds a step may hold the loop before it is a `block` event
MAX_SITES = 50
MAX_TEXT = 2000

_ASYNCIO_DIR = os.path.join(os.path.dirname(asyncio.__file__), "")
_UNTRACED = {"BaseEventLoop.shutdown_asyncgens", "BaseEventLoop.shutdown_default_executor"}
# Code objects are keyed by id: hashing one costs a microsecond.  These stay alive.
_RUNNERS = {id(asyncio.base_events.BaseEventLoop.run_until_complete.__code__),
            id(asyncio.runners.run.__code__)}
if hasattr(asyncio.runners, "Runner"):
    _RUNNERS.add(id(asyncio.runners.Runner.run.__code__))
_COROUTINE = types.CoroutineType
_GENERATOR = types.GeneratorType
_ASYNC_GENERATOR = types.AsyncGeneratorType
_ASYNC_GENERATOR_STEPS = ("async_generator_asend", "async_generator_athrow")
_perf = time.perf_counter
_now = clock.now
_repr = reprlib.Repr()
_repr.maxstring = _repr.maxother = 80

_active = None   # the _Recorder of the current cell while tracing is on
_next_id = 0


class _TaskRecord:
    __slots__ = ("id", "name", "coroutine", "parent", "created", "origin", "end", "task",
                 "recorder")

    def __init__(self, id, name, coroutine, parent, created, origin):
        self.id, self.name, self.coroutine, self.parent = id, name, coroutine, parent
        self.created, self.origin = created, origin
        self.end = None       # (time, state, detail)
        self.task = None      # weakref to the asyncio.Task
        self.recorder = None  # the last _Recorder it appeared in


class _TracedCoroutine:
    """Stands in for a task's coroutine and records each step the task makes."""

    __slots__ = ("_coro", "_record")

    def __init__(self, coro, record):
        self._coro = coro
        self._record = record

    # Each step goes straight to the function that records it: past the limit, one call
    # less is a tenth of the tracer's cost.
    def __next__(self):
        recorder = _active
        if recorder is None:
            return self._coro.send(None)
        if recorder.room:
            return _step(recorder, self, self._coro.send, None)
        return _counted_step(recorder, self, self._coro.send, None)

    def send(self, value):
        recorder = _active
        if recorder is None:
            return self._coro.send(value)
        if recorder.room:
            return _step(recorder, self, self._coro.send, value)
        return _counted_step(recorder, self, self._coro.send, value)

    def throw(self, *args):
        recorder = _active
        if recorder is None:
            return self._coro.throw(*args)
        step = _step if recorder.room else _counted_step
        return step(recorder, self, lambda _: self._coro.throw(*args), None)

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

    def __init__(self, limit, locate):
        self.room = max(0, limit)
        self.locate = locate
        self.events = []
        self.omitted = 0
        self.sites = {}      # (task id, what) -> omitted suspensions
        self.chains = {}     # interned raw chains
        self.records = []    # tasks in this cell's trace
        self.loops = []      # loops that ran during the cell
        self.waiting = None  # snapshot taken when the cell was stopped
        self.excused = 0.0   # seconds of time.sleep already reported as block events

    def see(self, record):
        record.recorder = self
        self.records.append(record)

    def add(self, time, task, kind, a=None, b=None):
        if self.room:
            self.room -= 1
            self.events += (time, task, kind, a, b)
        else:
            self.omitted += 1

    def finish(self, record, state, value, held):
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
        self.add(record.end[0], record.id, "end", detail or state)

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
                if not everyone:
                    continue
                self.see(record)
            what, chain = _describe(coro, _LOOK_UP, True)
            state = inspect.getcoroutinestate(coro) if inspect.iscoroutine(coro) else None
            if state == "CORO_CREATED":
                what = "not started"
            elif state == "CORO_RUNNING":
                what = "running"  # stopped inside its own step, e.g. in time.sleep
            waiting.append((record.id, what, chain))
        return waiting


def _step(recorder, proxy, method, arg):
    """Runs one step of a traced task, while there is room for events: a resume event,
    then a suspend (what it awaits and its chain) or the task's end, and a block event if
    the step held the loop."""
    record = proxy._record
    if record.recorder is not recorder:
        recorder.see(record)
    recorder.room -= 1
    recorder.events += (_now(), record.id, "resume", None, None)
    excused = recorder.excused
    started = _perf()
    try:
        result = method(arg)
    except BaseException as error:
        _ended(recorder, record, error, _perf() - started - (recorder.excused - excused))
        raise
    held = _perf() - started
    if held >= BLOCKING and held - (recorder.excused - excused) >= BLOCKING:
        recorder.add(_now(), record.id, "block", held - (recorder.excused - excused),
                     _innermost_user_site(proxy._coro))
    if recorder.room:
        recorder.room -= 1
        what, chain = _describe(proxy._coro, result, True)
        recorder.events += (_now(), record.id, "suspend", what,
                            recorder.chains.setdefault(chain, chain))
    else:
        recorder.omitted += 1
        key = (record.id, _what(proxy._coro, result))
        recorder.sites[key] = recorder.sites.get(key, 0) + 1
    return result


def _counted_step(recorder, proxy, method, arg):
    """`_step` past the limit: its events are only counted, its suspension by task and
    what it awaits; the task's end is still noted.  (The hot path of large traces.)"""
    record = proxy._record
    if record.recorder is not recorder:
        recorder.see(record)
    recorder.omitted += 1
    excused = recorder.excused
    started = _perf()
    try:
        result = method(arg)
    except BaseException as error:
        _ended(recorder, record, error, _perf() - started - (recorder.excused - excused))
        raise
    held = _perf() - started
    if held >= BLOCKING and held - (recorder.excused - excused) >= BLOCKING:
        recorder.omitted += 1
    recorder.omitted += 1
    key = (record.id, _what(proxy._coro, result))
    sites = recorder.sites
    sites[key] = sites.get(key, 0) + 1
    return result


def _ended(recorder, record, error, held):
    """A step that ended its task by returning (StopIteration), cancelled or failed."""
    if isinstance(error, StopIteration):
        recorder.finish(record, "done", error.value, held)
    elif isinstance(error, asyncio.CancelledError):
        recorder.finish(record, "cancelled", None, held)
    else:
        recorder.finish(record, "failed", error, held)


# --- describing what a task awaits ----------------------------------------------------------

def _sleep_label(coro, awaited):
    if type(awaited) is _GENERATOR and awaited.gi_code.co_name == "__sleep0":
        return "sleep(0)"
    return f"sleep({_safe_repr(coro.cr_frame.f_locals.get('delay'))})"


def _wait_for_label(coro, awaited):
    return f"wait_for(…, {_safe_repr(coro.cr_frame.f_locals.get('timeout'))})"


def _wait_label(coro, awaited):
    awaitables = coro.cr_frame.f_locals.get("fs")
    return f"wait({len(awaitables)})" if hasattr(awaitables, "__len__") else "wait()"


def _to_thread_label(coro, awaited):
    return f"to_thread({clock.callable_name(coro.cr_frame.f_locals.get('func'))})"


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
            obj = next((r for r in gc.get_referents(obj) if type(r) is _ASYNC_GENERATOR), None)
            continue
        else:
            if result is _LOOK_UP:  # a suspended task's future, held by e.g. a FutureIter
                result = next((r for r in gc.get_referents(obj)
                               if isinstance(r, asyncio.Future)), None)
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
        children = getattr(result, "_children", None)  # what gather() returns
        if isinstance(children, list):
            return f"gather({len(children)})"
        function = clock.executor_calls.get(result)
        return f"run_in_executor({function})" if function else "Future"
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
    origin, _ = _creation_site(sys._getframe(2))
    # Python names the task (an unnamed one is `Task-N` from asyncio's own counter, as in a
    # script); an eager task's first step runs inside `create`, under the name given if any.
    name = kwargs.get("name")
    _next_id += 1
    record = _TaskRecord(_next_id, "" if name is None else str(name), qualname, parent_id,
                         _now(), origin)
    recorder = _active
    if recorder is not None:
        recorder.see(record)
        recorder.add(record.created, record.id, "create", origin)
    task = create(_TracedCoroutine(coro, record), **kwargs)
    record.name = task.get_name()
    record.task = weakref.ref(task)
    return task


def _creation_site(frame):
    """(file, line) of the first user frame that led to creating a task, and whether a
    runner (asyncio.run, Runner.run, run_until_complete) or the kernel created it."""
    by_runner = False
    while frame is not None:
        filename = frame.f_code.co_filename
        if clock.is_user_file(filename):
            return (filename, frame.f_lineno), by_runner
        if clock.is_kernel_file(filename):
            return None, True
        by_runner = by_runner or id(frame.f_code) in _RUNNERS
        frame = frame.f_back
    return None, by_runner


def _loop_started(loop):
    recorder = _active
    if recorder is not None and loop not in recorder.loops:
        recorder.loops.append(loop)


def _stopping(status, loop):
    recorder = _active
    if recorder is not None and recorder.waiting is None:  # the first stop tells the story
        recorder.waiting = recorder.pending([loop] if loop is not None else recorder.loops, True)


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


clock.task_hook = _create_task
clock.loop_hook = _loop_started
clock.stop_hook = _stopping
clock.sleep_hook = _sleeping


def _current_record():
    task = current_task()
    coro = task.get_coro() if task is not None else None
    return coro._record if isinstance(coro, _TracedCoroutine) else None


# --- the interface --------------------------------------------------------------------------

def begin_cell(*, enabled, limit, locate):
    """Before each cell. locate(code_filename, lineno) -> "file:LINE" for user code."""
    global _active
    _active = _Recorder(limit, locate) if enabled else None


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
    if events[-5:-2] == [now, record.id, "print"] and events[-1] == stream:
        events[-2] = _clip(events[-2] + text)  # the same print, written in pieces
    else:
        recorder.add(now, record.id, "print", _clip(text), stream)


def end_cell():
    """After each cell: its trace as a JSON-ready dict, or None when tracing is off."""
    global _active
    recorder, _active = _active, None
    if recorder is None:
        return None
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
                item = self.frames[key] = {"function": function, "origin": self.origin(site)}
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
        return item

    def event(self, t, task, kind, a, b):
        item = {"time": self.time(t), "task": task, "kind": kind}
        if kind == "suspend":
            item["what"] = a
            item["chain"] = self.chain(b)
        elif kind == "create":
            if a is not None:
                item["origin"] = self.origin(a)
        elif kind == "print":
            item["text"], item["stream"] = a, b
        elif kind == "block":
            item["seconds"] = round(a, 6)
            if b is not None:
                item["origin"] = self.origin(b)
        elif kind == "end":
            item["text"] = a
        return item

    def trace(self):
        recorder = self.recorder
        waiting = recorder.waiting
        if waiting is None:
            waiting = recorder.pending(recorder.loops, False)
        records = {record.id: record for record in recorder.records}
        raw = recorder.events
        trace = {
            "clock": "virtual" if clock.is_virtual() else "real",
            "end": self.time(self.start + clock.clock_seconds()),
            "tasks": [self.task(records[key]) for key in sorted(records)],
            "events": [self.event(*raw[i:i + 5]) for i in range(0, len(raw), 5)],
            "waiting": [{"task": task, "what": what, "chain": self.chain(chain)}
                        for task, what, chain in waiting],
        }
        if recorder.omitted:
            sites = sorted(recorder.sites.items(), key=lambda item: (-item[1], item[0]))
            trace["omitted"] = {
                "events": recorder.omitted,
                "sites": [{"task": task, "what": what, "count": count}
                          for (task, what), count in sites[:MAX_SITES]],
            }
        return trace
