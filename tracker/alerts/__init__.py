"""Alerts: tell the newsroom the moment the story moves.

events.py writes the outbox inside the transaction of each change;
subscriptions.py says who wants what and when (timing.py: digests, quiet
hours); destinations.py keeps where messages go (Apprise URLs, encrypted,
secrets.py); router.py turns events into in-app notifications and queued
items per destination; messages.py writes the short messages; sender.py
batches, claims with a lease, sends through Apprise and records each
delivery; notifications.py is the in-app list. Importing this package
imports none of them, so the write paths pay only for events.py.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable


def once(install: Callable[[], None]) -> Callable[[], None]:
    """`install` run once per process, however many threads ask for it at the same moment.

    The sender's patches to Apprise and the standard library (its SMTP
    controller, smtplib's and urllib3's connections) are installed on first
    use, which is on the sending threads: with functools.cache, two threads
    sending their first emails at once both ran an install, and the second
    wrapped the first one's wrapper (a lent SMTP session then lent another
    in place of a connection, and the email failed).
    """
    lock = threading.Lock()
    done = False

    @functools.wraps(install)
    def wrapper() -> None:
        nonlocal done
        if done:
            return
        with lock:
            if not done:
                install()
                done = True

    return wrapper
