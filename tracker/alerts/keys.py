"""The key that seals alert destination URLs at rest (they hold SMTP passwords and webhook tokens).

Fernet (AES in CBC mode with an HMAC) from `cryptography`. The key comes from
TRACKER_ALERTS_KEY where a deployment keeps its secrets, else it is
generated once into instance/alerts_key (mode 0600, never committed), like
the editor's secret key. A copy of the database without the key reveals no
destination; losing the key means adding the destinations again.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from tracker import config
from tracker.db import TrackerError


@functools.lru_cache(maxsize=4)
def _fernet(key: str | None, instance: str) -> Fernet:
    if key is None:
        key = _instance_key(Path(instance))
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except ValueError:
        raise TrackerError(
            "TRACKER_ALERTS_KEY is not a Fernet key (32 url-safe base64 bytes); generate one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
        ) from None


def _instance_key(instance: Path) -> str:
    return config.instance_key(
        instance,
        "alerts_key",
        lambda: Fernet.generate_key().decode(),
        when_empty="set TRACKER_ALERTS_KEY, or delete the file to make a new key.",
    )


def fernet() -> Fernet:
    return _fernet(config.Settings.from_env().alerts_key, str(config.INSTANCE_DIR))


@functools.lru_cache(maxsize=4)
def _derived(key: str | None, instance: str, purpose: str) -> bytes:
    if key is None:
        key = _instance_key(Path(instance))
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).digest()


def derived_key(purpose: str) -> bytes:
    """A key of its own for `purpose` (signing the links in alert emails), derived from the alerts key.

    Never the alerts key itself: a MAC made with it says nothing about the
    key that seals the destinations. Losing or changing the alerts key
    voids what was signed with a key derived from it, as it voids the
    sealed destinations.
    """
    return _derived(config.Settings.from_env().alerts_key, str(config.INSTANCE_DIR), purpose)


def seal(text: str) -> bytes:
    """The text encrypted with the alerts key."""
    return fernet().encrypt(text.encode("utf-8"))


def unseal(token: bytes) -> str:
    """The text back; a token sealed with another key is a one-line error saying what to do."""
    try:
        return fernet().decrypt(bytes(token)).decode("utf-8")
    except InvalidToken:
        raise TrackerError(
            "This destination was saved with another alerts key (TRACKER_ALERTS_KEY or instance/alerts_key); "
            "remove it and add it again."
        ) from None
