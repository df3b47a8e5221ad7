"""Settings with defaults, overridden by environment variables.

Kept in one place so the CLI, the editor and the scrapers agree on paths and
politeness without passing a dozen arguments around.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
PUBLIC_DIR = Path(__file__).resolve().parent / "public"
METADATA_PATH = ROOT / "metadata.yml"


def default_db() -> str:
    """The working database: `TRACKER_DB` or data/tracker.db."""
    return os.environ.get("TRACKER_DB", str(DATA_DIR / "tracker.db"))


def default_public_db() -> str:
    """The public database that Datasette serves: `TRACKER_PUBLIC_DB` or data/public.db."""
    return os.environ.get("TRACKER_PUBLIC_DB", str(DATA_DIR / "public.db"))


def user_agent() -> str:
    """Identify ourselves to the sites we fetch, with a way to reach us."""
    contact = os.environ.get("TRACKER_CONTACT_URL", "https://newsroom-tracker.example/contact")
    return os.environ.get("TRACKER_USER_AGENT", f"NewsroomTracker/0.1 (+{contact})")


def allow_private() -> bool:
    """Fetch private, loopback and link-local addresses? Off by default: reporters add URLs."""
    return os.environ.get("TRACKER_ALLOW_PRIVATE", "") in ("1", "true", "yes")


def allowed_hosts() -> set[str]:
    """Host names exempt from the private-address guard (comma-separated), e.g. an intranet."""
    return {h.strip() for h in os.environ.get("TRACKER_ALLOWED_HOSTS", "").split(",") if h.strip()}


def fetcher_options() -> dict:
    """Keyword arguments for scrapers.http.Fetcher from the environment."""
    return {
        "allow_private": allow_private(),
        "allowed_hosts": allowed_hosts(),
        "min_interval": float(os.environ.get("TRACKER_MIN_INTERVAL", "1.0")),
    }


INSTANCE_DIR = ROOT / "instance"


def editor_url() -> str:
    """Where people open the editor, for the links in alert messages: `TRACKER_EDITOR_URL`."""
    return os.environ.get("TRACKER_EDITOR_URL", "http://127.0.0.1:5000").rstrip("/")


def alerts_key() -> str | None:
    """The key alert destination URLs are encrypted with (`TRACKER_ALERTS_KEY`); else one in instance/."""
    return os.environ.get("TRACKER_ALERTS_KEY") or None
