"""Ctrl-C and SIGTERM as "stop after the work in hand"; a second one stops at once.

The signal handler only writes a byte to a pipe: setting an Event or
printing from a signal handler can deadlock on a lock the interrupted code
holds (the logging lock, stdout's, SQLite's). A small thread reads the byte,
says it is stopping and sets the Event the long-running loop checks between
items. A second signal raises KeyboardInterrupt in the main thread, so the
item in hand is rolled back and the command stops now.

A command that stops at once on Ctrl-C, saying what it kept (`ingest`),
takes SIGTERM the same way (terminate_as_interrupt).
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where Ctrl-C raises KeyboardInterrupt: caught as one, and told apart when said."""


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the command as Ctrl-C does (Terminated, a KeyboardInterrupt).

    `timeout`, systemd and kill send SIGTERM, whose default ends Python at
    once: the command died without a word of what it had kept. The previous
    handler comes back when the block ends.
    """

    def on_term(signum, frame) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
