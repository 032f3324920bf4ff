"""The note's loop: tasks created at the top of plain cells, asyncio.run, run_until_complete,
and what is still pending at the end of the note."""

import unittest

from kernel_client import KernelClient, script_output

WORK = ("import asyncio\n"
        "async def work(n):\n"
        "    await asyncio.sleep(n)\n"
        "    print('work', n, 'done')\n"
        "    return n\n")


class PlainCells(unittest.TestCase):
    def setUp(self):
        self.kernel = KernelClient()
        self.kernel.output(WORK)

    def tearDown(self):
        self.kernel.close()

    def test_create_task_at_the_top_runs_when_a_later_cell_awaits(self):
        printed = self.kernel.output(
            "task = asyncio.create_task(work(1))\n"
            "future = asyncio.ensure_future(work(2))\n"
            "loop = asyncio.get_running_loop()\n"
            "print(loop is asyncio.get_event_loop(), task.done(), future.done())\n")
        self.assertEqual(printed, "True False False\n")
        done, streams = self.kernel.run("await future")
        self.assertEqual(done["value"], "2")
        self.assertEqual("".join(event["text"] for event in streams), "work 1 done\nwork 2 done\n")
        self.assertEqual(self.kernel.output("print(task.result())"), "1\n")

    def test_asyncio_run_still_works_and_prints_as_a_script(self):
        code = ("async def main():\n"
                "    print(asyncio.get_running_loop() is not None)\n"
                "    return await work(1)\n"
                "print(asyncio.run(main()))\n")
        printed = self.kernel.output(code)
        script, _, _ = script_output(WORK + code)
        self.assertEqual(printed, script)

    def test_the_old_get_event_loop_run_until_complete_style_works(self):
        code = ("loop = asyncio.get_event_loop()\n"
                "print(loop.run_until_complete(work(1)))\n"
                "print(loop.is_running())\n")
        printed = self.kernel.output(code)
        self.assertEqual(printed, "work 1 done\n1\nFalse\n")
        fresh = self.kernel.output(
            "other = asyncio.new_event_loop()\n"
            "print(other.run_until_complete(work(0)))\nother.close()\n")
        self.assertEqual(fresh, "work 0 done\n0\n")

    def test_asyncio_run_inside_a_loop_is_still_refused(self):
        done, _ = self.kernel.run(
            "async def nested():\n    asyncio.run(work(0))\n"
            "asyncio.get_event_loop().run_until_complete(nested())\n")
        self.assertEqual(done["status"], "error")
        self.assertIn("cannot be called from a running event loop", done["error"]["message"])

    def test_a_plain_cell_leaves_no_running_loop_behind(self):
        self.kernel.output("asyncio.create_task(work(0))")
        printed = self.kernel.output(
            "import threading\n"
            "def probe():\n"
            "    try:\n        asyncio.get_running_loop()\n    except RuntimeError:\n"
            "        return 'none'\n"
            "    return 'some'\n"
            "out = []\nt = threading.Thread(target=lambda: out.append(probe()))\n"
            "t.start(); t.join()\nprint(out[0])\n")
        self.assertEqual(printed, "none\n")


class EndOfNote(unittest.TestCase):
    def test_tasks_still_pending_at_the_end_are_reported_in_creation_order(self):
        kernel = KernelClient()
        try:
            kernel.output(WORK + "async def forever():\n    await asyncio.Event().wait()\n")
            kernel.output("a = asyncio.create_task(forever(), name='waiter')")
            b = kernel.output("await asyncio.sleep(0)\nb = asyncio.create_task(work(5))\n"
                              "print(b.get_name())")
            kernel.output("c = asyncio.create_task(work(0))\nawait c")
            kernel.send({"op": "end"})
            ended = kernel.next()
        finally:
            kernel.close()
        self.assertEqual(ended["event"], "ended")
        self.assertEqual([(task["name"], task["coroutine"], task["state"])
                          for task in ended["pending"]],
                         [("waiter", "forever", "waiting"), (b.strip(), "work", "waiting")])
        self.assertEqual(ended["pending"][0]["where"], "note.md:7")
        self.assertEqual([task["cell"] for task in ended["pending"]], [2, 3])

    def test_a_note_whose_tasks_all_finished_reports_none(self):
        kernel = KernelClient()
        try:
            kernel.output(WORK + "await work(0)")
            kernel.send({"op": "end"})
            ended = kernel.next()
        finally:
            kernel.close()
        self.assertEqual(ended, {"event": "ended", "pending": []})


if __name__ == "__main__":
    unittest.main()
