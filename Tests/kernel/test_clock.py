"""The virtual clock is observable only through time: the types a script sees, one story
across threads."""

import math
import unittest

from kernel_client import KernelClient, script_output

import _noterun_clock as clock

TYPES = ("from datetime import datetime, date, timedelta, timezone\n"
         "import datetime as dt, pickle, copy\n"
         "now = datetime.now()\n"
         "checks = [type(now) is datetime, type(date.today()) is date,\n"
         "          type(datetime(2024, 1, 1)) is datetime, type(now.date()) is date,\n"
         "          type(now + timedelta(1)) is datetime, type(now.replace(year=2020)) is datetime,\n"
         "          type(datetime.now(timezone.utc).astimezone(timezone.utc)) is datetime,\n"
         "          type(datetime.fromisoformat('2024-01-01')) is datetime,\n"
         "          type(datetime.min) is datetime, type(date.max) is date,\n"
         "          isinstance(now, date), type(copy.deepcopy(now)) is datetime,\n"
         "          type(pickle.loads(pickle.dumps(now))) is datetime,\n"
         "          dt.datetime is datetime, str(datetime), repr(datetime(2024, 1, 2, 3)),\n"
         "          repr(date(2024, 1, 2)), datetime.__name__, datetime.__module__]\n"
         "print(checks)\n")


class Types(unittest.TestCase):
    def test_datetime_types_read_as_in_a_script_under_both_clocks(self):
        script, _, _ = script_output(TYPES)
        kernel = KernelClient()
        try:
            virtual = kernel.output(TYPES)
            real = kernel.output(TYPES, clock="real")
        finally:
            kernel.close()
        self.assertEqual(virtual, script)
        self.assertEqual(real, script)

    def test_virtual_now_is_the_epoch_plus_the_clock(self):
        kernel = KernelClient()
        try:
            printed = kernel.output(
                "import asyncio, time\nfrom datetime import datetime, date\n"
                "await asyncio.sleep(16)\n"
                "print(datetime.now(), date.today(), time.strftime('%X'), time.time())\n")
        finally:
            kernel.close()
        self.assertEqual(printed, "2024-01-01 00:00:16 2024-01-01 00:00:16 1704067216.0\n")


class Threads(unittest.TestCase):
    def test_a_to_thread_worker_reads_the_same_clock_as_its_caller(self):
        code = ("import asyncio, time\nfrom datetime import datetime\n"
                "def blocking_io():\n"
                "    print('start blocking_io at', time.strftime('%X'), time.ctime(),\n"
                "          time.localtime().tm_hour, datetime.now().hour, int(time.time()))\n"
                "async def main():\n"
                "    await asyncio.sleep(16)\n"
                "    print('started main at', time.strftime('%X'))\n"
                "    await asyncio.to_thread(blocking_io)\n"
                "asyncio.run(main())\n")
        kernel = KernelClient()
        try:
            printed = kernel.output(code)
        finally:
            kernel.close()
        self.assertEqual(printed, "started main at 00:00:16\n"
                                  "start blocking_io at 00:00:16 Mon Jan  1 00:00:16 2024 0 0 "
                                  "1704067216\n")


class State(unittest.TestCase):
    """The clock's state object, driven directly (no loop): cells, budget, modes."""

    def setUp(self):
        self.saved = vars(clock.STATE).copy()

    def tearDown(self):
        vars(clock.STATE).update(self.saved)

    def test_the_budget_stops_the_clock_exactly_there(self):
        clock.begin_cell(virtual=True, budget=2.0)
        try:
            clock._advance(1_500_000_000)
            with self.assertRaises(clock.CellStopped):
                clock._advance(1_000_000_000)
        finally:
            clock.end_cell()
        self.assertEqual(clock.clock_seconds(), 2.0)
        self.assertEqual(clock.stopped(), "budget")

    def test_a_real_cell_keeps_the_kernel_clock_continuous(self):
        clock.begin_cell(virtual=True, budget=math.inf)
        clock._advance(5_000_000_000)
        clock.end_cell()
        clock.begin_cell(virtual=False, budget=math.inf)
        start = clock.now()
        clock.end_cell()
        clock.begin_cell(virtual=True, budget=math.inf)
        clock.end_cell()
        self.assertGreaterEqual(start, 5.0)
        self.assertGreaterEqual(clock.now(), start)
        self.assertIsNone(clock.stopped())


if __name__ == "__main__":
    unittest.main()
