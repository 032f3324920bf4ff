"""Placeholder for the virtual clock: a real-time loop. The clock module replaces this file."""

import asyncio
import time


class NoteLoop(asyncio.SelectorEventLoop):
    pass


class CellStopped(BaseException):
    def __init__(self, status):
        super().__init__(status)
        self.status = status


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self):
        return NoteLoop()


def install_policy():
    asyncio.set_event_loop_policy(_Policy())


_start = 0.0


def begin_cell(*, virtual, budget):
    global _start
    _start = time.monotonic()


def end_cell():
    pass


def clock_seconds():
    return time.monotonic() - _start
