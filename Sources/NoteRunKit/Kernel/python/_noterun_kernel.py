"""noterun's Python kernel: runs the cells of one note, one command at a time.

noterun starts it with its command pipe on fd 0 and its event pipe on fd 1, and the kernel
moves both out of the cells' reach before anything else. See _noterun_protocol.py.
`_noterun_fork_server.py` runs `main()` in a process forked from a warm parent instead.
"""

import os


def main():
    import _noterun_protocol as protocol

    channel = protocol.Channel(protocol.dup_high(0), protocol.dup_high(1))
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.close(null)

    import faulthandler
    import sys

    import _noterun_capture
    import _noterun_clock
    import _noterun_execute
    import _noterun_interrupt
    import _noterun_trace

    # noterun reads the fd it gave as stderr when the kernel dies: a crash names its line there.
    faulthandler.enable(protocol.dup_high(2))
    _noterun_interrupt.install()
    _noterun_clock.setup()
    _noterun_trace.install()
    loop = _noterun_clock.NoteLoop()
    capture = _noterun_capture.Capture(channel)

    session = None
    for command in channel.commands():
        if command["op"] == "start":
            session = _noterun_execute.Session(command, capture, loop)
            channel.send(protocol.ready(sys.version.split()[0]))  # what platform.python_version() says
        elif command["op"] == "run":
            channel.send(session.run(command))
        elif command["op"] == "end":
            channel.send(protocol.ended(session.end()))
    # Threads a cell left running must not keep the kernel alive.
    os._exit(0)


if __name__ == "__main__":
    main()
