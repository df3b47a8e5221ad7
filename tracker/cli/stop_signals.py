"""Ctrl-C and SIGTERM as "stop after the work in hand"; a second one stops at once.

The signal handler only writes a byte to a pipe: setting an Event or
printing from a signal handler can deadlock on a lock the interrupted code
holds (the logging lock, stdout's, SQLite's). A small thread reads the byte,
says it is stopping and sets the Event the long-running loop checks between
items. A second signal raises KeyboardInterrupt in the main thread, so the
item in hand is rolled back and the command stops now.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def stop_on_signals(on_first: Callable[[], object]) -> Iterator[threading.Event]:
    """Within the block, the first SIGINT/SIGTERM calls on_first and sets the Event it yields; the next interrupts.

    The previous handlers come back when the block ends, however it ends.
    """
    stop = threading.Event()
    wake_read, wake_write = os.pipe()
    signalled: list[int] = []

    def on_signal(signum, frame) -> None:
        if signalled:
            raise KeyboardInterrupt
        signalled.append(signum)
        os.write(wake_write, b"x")

    def relay() -> None:
        try:
            if os.read(wake_read, 1) == b"x":
                with contextlib.suppress(OSError):  # saying so can fail (stderr's reader gone); stopping must not
                    on_first()
                stop.set()
        finally:
            os.close(wake_read)

    threading.Thread(target=relay, daemon=True, name="stop-relay").start()
    previous = {sig: signal.signal(sig, on_signal) for sig in SIGNALS}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if not signalled:
            os.write(wake_write, b".")  # let the relay thread end
        os.close(wake_write)
