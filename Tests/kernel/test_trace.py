"""The tracer's wake causes, against a reference that does not share its mechanism.

The reference wraps the public calls that wake a task (`Queue.put_nowait`, `Event.set`,
`Lock.release`, `Semaphore.release`, `Condition.notify`, `Task.cancel` through
`asyncio.Task`'s callers) and logs which task called them from which line; every `call`
or `cancel` wake the tracer records must be one of those calls.  Runs in-process on a
NoteLoop, as the kernel runs a cell; works on Python 3.10-3.13.
"""

import asyncio
import os
import subprocess
import sys
import unittest

KERNEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Sources",
                          "NoteRunKit", "Kernel", "python")
sys.path.insert(0, KERNEL_DIR)

import _noterun_clock as clock  # noqa: E402
import _noterun_compat as compat  # noqa: E402
import _noterun_trace as trace  # noqa: E402

clock.setup()
trace.install()
HERE = os.path.basename(__file__)


def traced(main, limit=5000):
    """The trace of `asyncio.run(main())` as one traced cell on the virtual clock."""
    clock.begin_cell(virtual=True, budget=3600)
    trace.begin_cell(enabled=True, limit=limit,
                     locate=lambda file, line: f"{os.path.basename(file)}:{line}")
    try:
        asyncio.run(main())
    finally:
        result = trace.end_cell()
        clock.end_cell()
    return result


class CallLog:
    """Who called the methods that wake waiters, from where: (task name, method, file:line),
    seen by a profile function (`sys.setprofile`), not by the tracer's mechanism."""

    METHODS = {asyncio.Queue.put_nowait.__code__: "Queue.put",
               asyncio.Event.set.__code__: "Event.set",
               asyncio.Lock.release.__code__: "Lock.release",
               asyncio.Semaphore.release.__code__: "Semaphore.release",
               asyncio.Condition.notify.__code__: "Condition.notify"}

    def __enter__(self):
        self.calls = []
        sys.setprofile(self.profile)
        return self

    def profile(self, frame, event, arg):
        label = self.METHODS.get(frame.f_code) if event == "call" else None
        if label is None:
            return
        caller = frame.f_back
        while os.path.basename(caller.f_code.co_filename) != HERE:  # asyncio's own frames
            caller = caller.f_back
        task = asyncio.current_task()
        self.calls.append((task.get_name() if task else None, label, f"{HERE}:{caller.f_lineno}"))

    def __exit__(self, *_):
        sys.setprofile(None)


def resumes(result):
    names = {task["id"]: task["name"] for task in result["tasks"]}
    return [(names[event["task"]], event) for event in result["events"]
            if event["kind"] == "resume"], names


class WakeCauses(unittest.TestCase):
    def test_every_call_wake_is_a_call_the_reference_saw(self):
        async def holder(primitive):
            async with primitive:
                await asyncio.sleep(0.1)

        async def consumer(queue, event, condition):
            await queue.get()
            await event.wait()
            async with condition:
                await condition.wait()

        async def main():
            queue, event, condition = asyncio.Queue(), asyncio.Event(), asyncio.Condition()
            lock, semaphore = asyncio.Lock(), asyncio.Semaphore(1)
            tasks = [asyncio.create_task(consumer(queue, event, condition), name="consumer")]
            tasks += [asyncio.create_task(holder(p), name=f"holder-{i}")
                      for i, p in enumerate([lock, lock, semaphore, semaphore])]
            await asyncio.sleep(0.5)
            await queue.put(1)
            await asyncio.sleep(0.5)
            event.set()
            await asyncio.sleep(0.5)
            async with condition:
                condition.notify()
            await asyncio.gather(*tasks)

        with CallLog() as log:
            result = traced(main)
        steps, names = resumes(result)
        calls = [(name, event["wake"]) for name, event in steps if event["wake"]["kind"] == "call"]
        self.assertEqual(len(calls), 5)  # put, set, notify, a lock and a semaphore release
        for name, wake in calls:
            self.assertIn((names[wake["by"]], wake["what"], wake["at"]), log.calls, (name, wake))
            # The arrow starts at a step of the waker.
            waker_step = result["events"][wake["step"]]
            self.assertEqual((waker_step["kind"], waker_step["task"]), ("resume", wake["by"]))
        woken = sorted(name for name, _ in calls)
        self.assertEqual(woken, ["consumer", "consumer", "consumer", "holder-1", "holder-3"])

    def test_timers_yields_children_and_executors(self):
        def work():
            return 1

        async def nap(seconds):
            await asyncio.sleep(seconds)

        async def main():
            await asyncio.sleep(0)
            await asyncio.sleep(1)
            await asyncio.gather(nap(0.1), nap(0.2))
            await asyncio.get_running_loop().run_in_executor(None, work)

        result = traced(main)
        steps, names = resumes(result)
        main_wakes = [(event["wake"]["kind"], event["wake"].get("what"),
                       names.get(event["wake"].get("by")))
                      for name, event in steps if event["task"] == result["tasks"][0]["id"]]
        self.assertEqual(main_wakes, [("start", None, None), ("yield", None, None),
                                      ("timer", None, None), ("child", "gather", names[result["tasks"][-1]["id"]]),
                                      ("executor", main_wakes[-1][1], None)])
        self.assertRegex(main_wakes[-1][1], r"^run_in_executor\(.*work\)$")

    def test_cancellation_is_thrown_not_a_timer(self):
        async def main():
            sleeper = asyncio.create_task(asyncio.sleep(5), name="sleeper")
            never = asyncio.create_task(asyncio.sleep(5), name="never")
            never.cancel()
            await asyncio.sleep(1)
            sleeper.cancel()
            await asyncio.gather(sleeper, never, return_exceptions=True)

        result = traced(main)
        steps, names = resumes(result)
        runner = result["tasks"][0]["name"]
        by_task = {}
        for name, event in steps:
            by_task.setdefault(name, []).append(
                (event["wake"]["kind"], event.get("thrown"), names.get(event["wake"].get("by"))))
        self.assertEqual(by_task["never"], [("start", "CancelledError", None)])
        self.assertEqual(by_task["sleeper"], [("start", None, None),
                                              ("cancel", "CancelledError", runner)])

    def test_past_the_limit_steps_are_counted_per_task_and_site(self):
        async def spin():
            for _ in range(100):
                await asyncio.sleep(0)
            for _ in range(50):
                await asyncio.sleep(0.5)

        result = traced(spin, limit=10)
        self.assertEqual(len(result["events"]), 10)
        # create, 151 resumes, 150 suspensions, end
        self.assertEqual(len(result["events"]) + result["omitted"]["events"], 303)
        kept = sum(1 for event in result["events"] if event["kind"] == "suspend")
        task = result["tasks"][0]["id"]
        self.assertEqual(result["omitted"]["sites"], [
            {"task": task, "what": "sleep(0)", "count": 100 - kept},
            {"task": task, "what": "sleep(0.5)", "count": 50}])

    def test_a_cell_without_tasks_has_no_trace(self):
        clock.begin_cell(virtual=True, budget=3600)
        trace.begin_cell(enabled=True, limit=10, locate=lambda file, line: f"{file}:{line}")
        sum(range(10))
        self.assertIsNone(trace.end_cell())
        clock.end_cell()


class Compat(unittest.TestCase):
    def test_missing_details_degrade_to_none(self):
        loop = asyncio.new_event_loop()
        try:
            future = loop.create_future()
            self.assertIsNone(compat.gather_children(future))
            self.assertIsNone(compat.shield_inner(future))
            self.assertIsNone(compat.woken_task(lambda: None))
            self.assertIsNone(compat.woken_task(future.set_result))
            self.assertIsNone(compat.argument(object(), "delay"))
            self.assertFalse(compat.is_sleep_zero(None))
            self.assertIsNone(compat.asyncio_callback((lambda: None).__code__))
        finally:
            loop.close()

    def test_shield_names_its_inner_task(self):
        async def main():
            inner = asyncio.create_task(asyncio.sleep(0), name="inner")
            outer = asyncio.shield(inner)
            found = compat.shield_inner(outer)
            await outer
            return found is inner

        self.assertTrue(asyncio.run(main()))

    def test_qualified_names_on_every_version(self):
        frame = None

        class Box:
            def method(self):
                nonlocal frame
                frame = sys._getframe()

        Box().method()
        self.assertTrue(compat.qualified_name(frame).endswith("Box.method"))


class SetUp(unittest.TestCase):
    def test_importing_the_tracer_installs_nothing(self):
        code = ("import _noterun_clock as c, _noterun_trace as t; "
                "print(c.task_hook is None and c.loop_hook is None); t.install(); "
                "print(c.task_hook is not None)")
        output = subprocess.run([sys.executable, "-c", code], cwd=KERNEL_DIR,
                                capture_output=True, text=True, check=True).stdout
        self.assertEqual(output.split(), ["True", "True"])


if __name__ == "__main__":
    unittest.main()
