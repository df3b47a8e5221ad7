"""Settings with defaults, overridden by environment variables.

Kept in one place so the CLI, the editor and the scrapers agree on paths and
politeness without passing a dozen arguments around.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

from tracker.db import TrackerError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
LIVE_DEMO_DIR = DEMO_DIR / "live"
DEMO_HOST_SUFFIX = ".example"  # RFC 2606: reserved, never a real site
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


def demo_hosts() -> dict[str, tuple[str, int]]:
    """The live demo's fictional sites and the loopback server that plays them: `TRACKER_DEMO_HOSTS`.

    "name.example=127.0.0.1:8188,..." as `python -m tracker serve --live-demo`
    sets it for its children. Only names under `.example` (reserved, so never
    a real site) and only loopback addresses: the one way through the
    address guard for the demo, which opens nothing else on the machine.
    """
    text = os.environ.get("TRACKER_DEMO_HOSTS", "").strip()
    mapping: dict[str, tuple[str, int]] = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        host, _, target = entry.partition("=")
        address, _, port = target.rpartition(":")
        host = host.strip().lower()
        try:
            loopback = ipaddress.ip_address(address.strip("[]")).is_loopback
            number = int(port)
        except ValueError:
            loopback, number = False, 0
        if not host.endswith(DEMO_HOST_SUFFIX) or not loopback or not 0 < number < 65536:
            raise TrackerError(
                f"TRACKER_DEMO_HOSTS: {entry!r} is not NAME{DEMO_HOST_SUFFIX}=LOOPBACK-ADDRESS:PORT "
                "(e.g. courier.example=127.0.0.1:8188); it is only for the live demo's fictional sites."
            )
        mapping[host] = (address.strip("[]"), number)
    return mapping


def fetcher_options() -> dict:
    """Keyword arguments for scrapers.http.Fetcher from the environment."""
    return {
        "allow_private": allow_private(),
        "allowed_hosts": allowed_hosts(),
        "host_map": demo_hosts(),
        "min_interval": float(os.environ.get("TRACKER_MIN_INTERVAL", "1.0")),
    }
