"""Cells as Python runs them: errors, names, `match=`, against the same code as a script."""

import os
import signal
import sys
import tempfile
import threading
import unittest

from kernel_client import KernelClient, note_of, script_output


class SyntaxErrors(unittest.TestCase):
    def test_the_offending_line_is_shown_from_the_note_on_disk(self):
        # The parser reads an error's text from the file named in the code when that file
        # exists: the note's own lines must be shown, not line N of the joined cell.
        source, cells = note_of("x = 1", "def f()\n    pass", "print((1,\n", ">>> print(1)")
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "note.md")
            with open(path, "w") as file:
                file.write(source)
            kernel = KernelClient(source, file=path)
            try:
                errors = [kernel.run(code, line=line)[0].get("error") for line, code in cells]
            finally:
                kernel.close()
        self.assertIsNone(errors[0])
        expected = [("def f()", "expected ':'", cells[1][0]),
                    ("print((1,", "'(' was never closed", cells[2][0]),
                    (">>> print(1)", "invalid syntax", cells[3][0])]
        for error, (text, message, line) in zip(errors[1:], expected):
            self.assertEqual(error["message"], message)
            self.assertEqual(error["line"], line)
            self.assertTrue(error["traceback"].startswith(
                f'  File "{path}", line {line}\n    {text}\n'), error["traceback"])
            # The caret is where a script's SyntaxError puts it on that line.
            self.assertIn(_caret_of(text), error["traceback"])

    def test_hints_and_notes_are_pythons(self):
        kernel = KernelClient()
        try:
            kernel.run("def fetch(): pass")
            done, _ = kernel.run("fetc()")
            hint = done["error"]["traceback"]
            done, _ = kernel.run("e = ValueError('x')\ne.add_note('see this')\nraise e")
            noted = done["error"]["traceback"]
        finally:
            kernel.close()
        _, script_hint, _ = script_output("def fetch(): pass\nfetc()")
        self.assertEqual("Did you mean: 'fetch'?" in hint, "Did you mean: 'fetch'?" in script_hint)
        _, script_noted, _ = script_output("e = ValueError('x')\ne.add_note('see this')\nraise e")
        self.assertEqual(noted.splitlines()[-1], script_noted.splitlines()[-1])
        if sys.version_info >= (3, 11):
            self.assertEqual(noted.splitlines()[-2:], ["ValueError: x", "see this"])


class UnprintableExceptions(unittest.TestCase):
    def test_an_exception_whose_str_and_repr_raise_keeps_the_kernel(self):
        code = ("class E(Exception):\n    def __str__(self): raise ValueError('no')\n"
                "    def __repr__(self): raise ValueError('no')\n")
        kernel = KernelClient()
        try:
            kernel.run("x = 1")
            done, _ = kernel.run(code + "raise E()")
            value_done, _ = kernel.run("E()")
            alive = kernel.run("x")[0]
        finally:
            kernel.close()
        _, script, _ = script_output(code + "raise E()")
        self.assertEqual(done["status"], "error")
        if sys.version_info >= (3, 11):  # 3.10's interpreter and traceback module disagree here
            self.assertEqual(done["error"]["traceback"].splitlines()[-1], script.splitlines()[-1])
        self.assertEqual(value_done["status"], "error")
        self.assertEqual(alive["value"], "1")


class TaskNames(unittest.TestCase):
    def test_asyncio_run_names_tasks_as_a_script_does(self):
        code = ("import asyncio\n"
                "async def child():\n    print(asyncio.current_task().get_name())\n"
                "async def main():\n    print(asyncio.current_task().get_name())\n"
                "    await asyncio.gather(child(), child())\n"
                "    await asyncio.wait_for(child(), 1)\n"
                "asyncio.run(main())\n")
        kernel = KernelClient()
        try:
            printed = kernel.output(code)
        finally:
            kernel.close()
        script, _, _ = script_output(code)
        self.assertEqual(printed, script)
        self.assertTrue(printed.startswith("Task-1\n"))

    def test_a_top_level_await_cell_task_is_numbered_by_asyncio(self):
        kernel = KernelClient()
        try:
            printed = kernel.output(
                "import asyncio\nprint(asyncio.current_task().get_name())\n"
                "t = asyncio.create_task(asyncio.sleep(0))\nprint(t.get_name())\nawait t")
        finally:
            kernel.close()
        self.assertEqual(printed, "Task-1\nTask-2\n")


class Match(unittest.TestCase):
    def setUp(self):
        self.kernel = KernelClient()

    def tearDown(self):
        self.kernel.close()

    def matched(self, message, pattern, raises="ValueError"):
        done, _ = self.kernel.run(f"raise ValueError({message!r})", raises=raises, match=pattern)
        return done.get("matched"), done.get("matchError")

    def test_match_is_re_search_on_str_of_the_exception(self):
        self.assertEqual(self.matched("bad value 42", r"value \d+"), (True, None))
        self.assertEqual(self.matched("bad value 42", r"^value"), (False, None))
        self.assertEqual(self.matched("a.b", "a.b"), (True, None))
        self.assertEqual(self.matched("x", "x", raises="KeyError"), (None, None))
        matched, problem = self.matched("x", "(")
        self.assertIsNone(matched)
        self.assertIn("not a valid regular expression", problem)

    def test_a_catastrophic_pattern_is_stopped_by_the_interrupt_and_the_kernel_lives(self):
        self.kernel.run("x = 1")
        timer = threading.Timer(0.5, os.killpg, (self.kernel.process.pid, signal.SIGINT))
        timer.start()
        try:
            done, _ = self.kernel.run("raise ValueError('a' * 40 + '!')", raises="ValueError",
                                      match="^(a+)+$")
        finally:
            timer.cancel()
        self.assertEqual(done["status"], "interrupted")
        self.assertEqual(self.kernel.run("x")[0]["value"], "1")


def _caret_of(text):
    """The caret line a script's SyntaxError shows under `text` (when it has one)."""
    _, printed, _ = script_output(text)
    lines = printed.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == text)
    return lines[index + 1] if index + 1 < len(lines) and "^" in lines[index + 1] else text


if __name__ == "__main__":
    unittest.main()
