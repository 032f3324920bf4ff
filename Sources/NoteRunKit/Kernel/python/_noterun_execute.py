"""Running cells as a script would run them.

Every line keeps its place: a cell's code comes as segments (file, first line, text), and
each run of statements from one segment is compiled with that file's name and line numbers,
so tracebacks, SyntaxErrors and traces read `Notes/x.md:44`.

The note has one persistent loop.  A cell with top-level await runs as a task on it, where
tasks from earlier cells keep running; the task is unnamed, so asyncio numbers it
(`Task-N`) as it numbers `asyncio.run`'s main task in a script, and its coroutine is
`<module>` (as tracebacks name a cell's code); what it prints is the cell's own output.
A cell without top-level await runs with that loop held as asyncio's running loop, not
running (see `_noterun_compat.hold_running_loop`): `asyncio.create_task(work())`,
`ensure_future`, `get_running_loop()` and `get_event_loop()` at the top of the cell work
as in Jupyter, and the task runs when a later cell awaits (or runs the loop); while
`asyncio.run()` and `loop.run_until_complete()` work as in a script.  `end()` lists the
tasks still pending on the note's loop when the note ends.

A cell the clock stopped (deadlock, time budget) reports that status whatever was raised
after the stop; its task on the persistent loop is cancelled, so nothing of it runs on in
later cells.  An expected exception's `match=` pattern is searched here (`re.search` on
`str(exc)`, as pytest.raises does), inside the cell's time limit.
"""

import __future__
import ast
import asyncio
import builtins
import inspect
import linecache
import os
import random
import re
import signal
import sys
import traceback
import types
import warnings

import _noterun_clock as clock
import _noterun_compat as compat
import _noterun_interrupt as interrupt
import _noterun_protocol as protocol
import _noterun_trace as trace

KERNEL_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_PARSED = "<noterun cell>"  # the file name cells are parsed under, before relocation
FUTURE_FLAGS = 0
for _feature in __future__.all_feature_names:
    FUTURE_FLAGS |= getattr(__future__, _feature).compiler_flag


class Session:
    """One note: its namespace, its loop, its cells."""

    def __init__(self, start, capture, loop):
        self.file = start["file"]
        self.capture = capture
        self.loop = loop
        self.note_files = {self.file}
        self.future_flags = 0
        self._task = None
        source = start["source"]
        linecache.cache[self.file] = (len(source), None, source.splitlines(True), self.file)

        self.module = types.ModuleType("__main__")
        self.module.__file__ = self.file
        self.module.__builtins__ = builtins
        sys.modules["__main__"] = self.module
        sys.argv = [self.file]
        sys.path[0] = os.path.dirname(start["path"])
        sys.path.append(KERNEL_DIR.rstrip(os.sep))
        random.seed(start["seed"])

    def run(self, command):
        cell = command["cell"]
        self.capture.begin(cell)
        outcome = self._run(command)
        return protocol.done(cell, **outcome, dropped_bytes=self.capture.end())

    def end(self):
        """At the end of the note: the tasks still pending on the note's loop (created by a
        cell and never awaited to the end), in creation order, each as a pending_task with the
        cell that created it."""
        pending = []
        for task in sorted(asyncio.all_tasks(self.loop), key=clock.creation_order):
            coro = task.get_coro()
            try:
                started = inspect.getcoroutinestate(coro) != inspect.CORO_CREATED
            except (AttributeError, TypeError):  # not a coroutine: a generator-based awaitable
                started = True
            where = _innermost_note_line(coro, self.locate) if started else None
            name = getattr(coro, "__qualname__", None) or type(coro).__name__
            pending.append(protocol.pending_task(
                task.get_name(), name, "waiting" if started else "not started", where,
                clock.creating_cell(task)))
        return pending

    def locate(self, filename, line):
        """`file:LINE` for a code location, as the trace shows it."""
        if filename in self.note_files:
            return f"{filename}:{line}"
        return f"{os.path.basename(filename)}:{line}"

    def _run(self, command):
        try:
            codes = self._compile(command["segments"])
        except (SyntaxError, ValueError) as error:  # ValueError: null bytes, before 3.12
            return {"status": "error", "error": self._describe(error, frames=False)}

        asyncio.set_event_loop(self.loop)
        clock.begin_cell(virtual=command["clock"] == "virtual", budget=command["budget"],
                         cell=command["cell"])
        trace.begin_cell(enabled=command["trace"], limit=command["traceLimit"], locate=self.locate,
                         code=codes[0][0] if codes else None)
        value = None
        stopped = None
        matched = match_error = None
        try:
            interrupt.arm(self._cancel_tasks)
            try:
                result = self._execute(codes)
                if result is not None:
                    value = repr(result)
            except Exception as exception:
                stopped = exception
                matched, match_error = _match(command, exception)
            interrupt.disarm()
        except BaseException as exception:
            interrupt.disarm()
            stopped = exception
        # Disarmed: noterun may send SIGINT again, and this cleanup must not be cut short.
        self._cancel_cell_task()
        outcome = {
            "value": value,
            "clock_seconds": clock.clock_seconds(),
            "trace": trace.end_cell(),
            "matched": matched,
            "match_error": match_error,
        }
        clock.end_cell()
        outcome["status"] = "ok"
        if clock.stopped() is not None:
            outcome["status"] = clock.stopped()
        elif isinstance(stopped, SystemExit) and stopped.code in (None, 0):
            pass
        elif interrupt.received() and isinstance(stopped, (KeyboardInterrupt, asyncio.CancelledError)):
            outcome["status"] = "interrupted"
            outcome["error"] = self._describe(stopped)
        elif stopped is not None:
            outcome["status"] = "error"
            outcome["error"] = self._describe(stopped)
        return outcome

    def _compile(self, segments):
        """Code objects for the cell, in order, each flagged when it is the trailing expression."""
        source = "".join(segment["text"] for segment in segments)
        places = []  # (segment index, file line) of each line of source
        starts = []  # line of source where each segment starts
        for index, segment in enumerate(segments):
            self.note_files.add(segment["file"])
            text = segment["text"]
            starts.append(len(places) + 1)
            count = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
            places.extend((index, segment["line"] + offset) for offset in range(count))
        try:
            # Not the note's name: for a name that is a file on disk, the parser takes the
            # error's text from that file at the line number in `source`.
            tree = ast.parse(source, filename=_PARSED)
        except SyntaxError as error:
            _relocate(error, places, segments)
            raise

        runs = []  # [segment index, statements]: consecutive statements from one segment
        for statement in tree.body:
            decorators = getattr(statement, "decorator_list", ())
            first = min([statement.lineno] + [decorator.lineno for decorator in decorators])
            index = places[first - 1][0]
            if runs and runs[-1][0] == index:
                runs[-1][1].append(statement)
            else:
                runs.append([index, [statement]])
        trailing = None
        if runs and isinstance(runs[-1][1][-1], ast.Expr):
            trailing = (runs[-1][0], runs[-1][1].pop())
            if not runs[-1][1]:
                runs.pop()

        def compiled(node, mode, index):
            segment = segments[index]
            ast.increment_lineno(node, segment["line"] - starts[index])
            flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT | self.future_flags
            code = compile(node, segment["file"], mode, flags=flags, dont_inherit=True)
            self.future_flags |= code.co_flags & FUTURE_FLAGS  # `from __future__` lasts, as in a file
            return code

        codes = [(compiled(ast.Module(body, []), "exec", index), False) for index, body in runs]
        if trailing:
            index, statement = trailing
            codes.append((compiled(ast.Expression(statement.value), "eval", index), True))
        return codes

    def _execute(self, codes):
        """The trailing expression's value, or None."""
        if not any(code.co_flags & inspect.CO_COROUTINE for code, _ in codes):
            held = compat.hold_running_loop(self.loop)
            try:
                value = None
                for code, is_trailing in codes:
                    result = eval(code, self.module.__dict__)
                    if is_trailing:
                        value = result
                return value
            finally:
                if held:
                    compat.release_running_loop()

        coro = _run_async(codes, self.module.__dict__)
        coro.__name__ = coro.__qualname__ = "<module>"
        # Unnamed: asyncio numbers it as it numbers asyncio.run's main task in a script.
        self._task = self.capture.cell_task = self.loop.create_task(coro)
        return self.loop.run_until_complete(self._task)

    def _cancel_tasks(self):
        """On noterun's first SIGINT while a loop runs: cancel the cell's task on the kernel's
        loop (tasks of earlier cells live on), or every task of a loop the cell started
        (asyncio.run cancels those anyway); wake the loop so it notices."""
        loop = asyncio._get_running_loop()
        if loop is None:
            return False
        if loop is self.loop:
            tasks = [self._task] if self._task is not None and not self._task.done() else []
        else:
            tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
        cancelled = False
        for task in tasks:
            cancelled = _cancel(task) or cancelled
        loop.call_soon_threadsafe(lambda: None)
        return cancelled

    def _cancel_cell_task(self):
        """An interrupted or stopped async cell leaves its task pending: cancel it and run the
        loop until it is done, so it does not wake up in a later cell."""
        task, self._task = self._task, None
        if task is None or task.done() or not _cancel(task):
            return
        try:
            self.loop.run_until_complete(task)
        except BaseException:
            pass  # stopped again (its cleanup awaits past the budget): it finishes later

    def _describe(self, error, frames=True):
        """The CellError for an exception, with kernel frames left out (all frames, when the
        cell did not compile: a script's SyntaxError shows none either)."""
        if isinstance(error, SyntaxError) and error.text is None and error.filename:
            error.text = linecache.getline(error.filename, error.lineno or 0) or None
        shown = traceback.TracebackException(type(error), error, error.__traceback__)
        _hide_kernel_frames(shown, self.note_files, set())
        if not frames:
            shown.stack = traceback.StackSummary.from_list([])
        file = line = None
        if isinstance(error, SyntaxError) and error.filename in self.note_files:
            file, line = error.filename, error.lineno
        for frame in shown.stack:
            if frame.filename in self.note_files:
                file, line = frame.filename, frame.lineno
        message = error.msg if isinstance(error, SyntaxError) else _message(error)
        lines = list(shown.format())
        if lines:
            lines[-1] = compat.with_interpreter_hint(error, lines[-1])
        return protocol.cell_error(
            type(error).__name__,
            [cls.__name__ for cls in type(error).__mro__],
            message,
            "".join(lines),
            file,
            line,
        )


def _match(command, error):
    """(matched, error text) for the cell's `match=` pattern against the exception it
    expected, as pytest.raises(match=) does: re.search on str(exc); (None, None) when there
    is nothing to match.  Evaluated here, inside the cell's time limit."""
    pattern = command.get("match")
    expected = command.get("raises")
    if pattern is None or expected not in [cls.__name__ for cls in type(error).__mro__]:
        return None, None
    try:
        compiled = re.compile(pattern)
    except re.error as problem:
        return None, f"match={pattern!r} is not a valid regular expression: {problem}"
    return _search(compiled, _message(error)), None


def _search(compiled, text):
    """Whether compiled.search(text) finds something, searched in a forked child: a
    catastrophic pattern (`^(a+)+$`) then costs the cell its time limit (noterun's SIGINT
    ends the wait here and the child is killed), never the kernel and its namespace."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 3.12+: fork with threads
        pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os._exit(0 if compiled.search(text) else 1)
    try:
        _, status = os.waitpid(pid, 0)
    except BaseException:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass  # noterun's SIGINT reached the child too, and it is already reaped
        raise
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _innermost_note_line(coro, locate):
    """`file:LINE` where the innermost coroutine of user code in the await chain waits."""
    site = None
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is None:
            break
        if clock.is_user_file(frame.f_code.co_filename):
            site = locate(frame.f_code.co_filename, frame.f_lineno)
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return site


def _message(error):
    """str(error), or what Python prints when that raises."""
    try:
        return str(error)
    except Exception:
        return "<exception str() failed>"


async def _run_async(codes, namespace):
    value = None
    for code, is_trailing in codes:
        result = eval(code, namespace)
        if code.co_flags & inspect.CO_COROUTINE:
            result = await result
        if is_trailing:
            value = result
    return value


def _cancel(task):
    """Whether the task could be cancelled. Cancelling a task that awaits a cycle of tasks
    awaiting each other recurses without end in asyncio: such a task can never run again
    and is left pending."""
    try:
        task.cancel()
    except RecursionError:
        return False
    return True


def _relocate(error, places, segments):
    """Point a SyntaxError in the joined source at its file and line."""
    error.filename = segments[0]["file"] if segments else _PARSED
    if not error.lineno or not places:
        return
    index, line = places[min(error.lineno, len(places)) - 1]
    end_line = line
    if error.end_lineno:
        end_index, end = places[min(error.end_lineno, len(places)) - 1]
        end_line = end if end_index == index else line
    error.filename = segments[index]["file"]
    error.lineno = line
    error.end_lineno = end_line


def _hide_kernel_frames(exception, note_files, seen):
    """Drop the kernel's frames, and the frames (asyncio's) before the first one in the note."""
    if id(exception) in seen:
        return
    seen.add(id(exception))
    frames = [frame for frame in exception.stack if not frame.filename.startswith(KERNEL_DIR)]
    first = next((index for index, frame in enumerate(frames) if frame.filename in note_files), 0)
    exception.stack = traceback.StackSummary.from_list(frames[first:])
    grouped = getattr(exception, "exceptions", None) or ()  # ExceptionGroup, 3.11+
    for chained in (exception.__cause__, exception.__context__, *grouped):
        if chained is not None:
            _hide_kernel_frames(chained, note_files, seen)
