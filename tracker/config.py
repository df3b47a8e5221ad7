"""Settings: one place that reads the environment, with a default for everything.

Where a process starts its work (a `python -m tracker` command, the editor's
create_app, `serve` handing its children their settings) it reads them once
with Settings.from_env() and passes them on; nothing else in the project
reads os.environ. Code called without them (tests, scripts) gets
settings(), read on first use. Every setting:

| Variable                  | Default                                   | What it is                                   |
|---------------------------|-------------------------------------------|----------------------------------------------|
| TRACKER_DB                | data/tracker.db                           | the working database                         |
| TRACKER_PUBLIC_DB         | data/public.db                            | the public database Datasette serves         |
| TRACKER_CONTACT_URL       | https://newsroom-tracker.example/contact  | how sites we fetch can reach us              |
| TRACKER_USER_AGENT        | NewsroomTracker/0.1 (+contact URL)        | the User-Agent of every fetch                |
| TRACKER_MIN_INTERVAL      | 1.0                                       | seconds between two requests to one site     |
| TRACKER_RESPONSE_DEADLINE | 30                                        | seconds a response may take; then abandoned  |
| TRACKER_HOST_SHARE        | 300                                       | seconds of a pass one host may take; 0 no cap|
| TRACKER_ALLOW_PRIVATE     | off                                       | fetch private, loopback, link-local addresses|
| TRACKER_ALLOWED_HOSTS     | (none)                                    | host names exempt from that guard, a,b,c     |
| TRACKER_SECRET_KEY        | generated into instance/secret_key        | signs the editor's session cookies           |
| TRACKER_HTTPS             | off                                       | on: session cookies only over HTTPS, HSTS    |
| TRACKER_PROXIES           | 0                                         | reverse proxies before the sites to believe  |
| TRACKER_PASSWORD_METHOD   | scrypt                                    | werkzeug hash method for new passwords       |
| TRACKER_SESSION_IDLE_HOURS| 12                                        | an editor session unused that long ends; 0 no|
| TRACKER_SESSION_MAX_DAYS  | 7                                         | a session ends that long after sign-in; 0 no |
| EDITOR_PORT, PUBLIC_PORT  | 5000, 8001                                | `serve`'s ports (also `--editor-port` ...)   |
| EDITOR_WORKERS            | two per core, at most 8                   | `serve`'s editor processes (`--workers`)     |
| TRACKER_BENCH_FLOOR       | off                                       | bench/editor.py only: its bare floor routes  |
| TRACKER_EDITOR_URL        | http://127.0.0.1:$EDITOR_PORT             | the editor's address, for alert links        |
| TRACKER_ALERTS_KEY        | generated into instance/alerts_key        | Fernet key sealing alert destination URLs    |
| TRACKER_DEMO_HOSTS        | (none; `serve --live-demo` sets it)       | live demo sites: NAME.example=127.0.0.1:PORT |
| DEMO_PACE                 | 1                                         | the live demo's stage timer: 2 slower, 0 off |
| DEMO_PORT                 | 8188                                      | the live demo's sites (`serve --live-demo`)  |
| TRACKER_PUBLIC_URL        | http://HOST:PORT when served on loopback  | the public site's address: links use it      |
| TRACKER_PUBLIC_HOSTS      | (none)                                    | other host names the public site answers to  |
| TRACKER_OUTLET_NAME       | the newsroom                              | our name in "told [outlet] on DATE"          |
| TRACKER_DOCUMENT_MAX_MB   | 100                                       | largest document uploaded or fetched, in MB  |
| TRACKER_DOCUMENT_MAX_PAGES| 2000                                      | most pages a document may have               |
| TRACKER_PAGE_CACHE_SECONDS| 300                                       | public reader pages kept between publishes   |

An on/off setting takes 1, true, yes or on, and 0, false, no or off (any case; empty is
off); any other word is refused, naming the setting.

The public site's Datasette plugins run in their own process (and in a
deployed container without this package) and read theirs (TRACKER_PUBLIC_URL,
TRACKER_PUBLIC_HOSTS, TRACKER_HTTPS, TRACKER_PAGE_CACHE_SECONDS, TRACKER_PROXIES) through
metadata.yml; `serve` hands them public_url, public_hosts and https.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tracker.db import TrackerError

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
LIVE_DEMO_DIR = DEMO_DIR / "live"
DEMO_HOST_SUFFIX = ".example"  # RFC 2606: reserved, never a real site
PUBLIC_DIR = Path(__file__).resolve().parent / "public"
METADATA_PATH = ROOT / "metadata.yml"
DEFAULT_CONTACT = "https://newsroom-tracker.example/contact"
# The words an on/off setting takes (TRACKER_HTTPS, TRACKER_ALLOW_PRIVATE, TRACKER_BENCH_FLOOR), in any case;
# the public site's plugin reads TRACKER_HTTPS with the same words for on.
ON = ("1", "true", "yes", "on")
OFF = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    """Every setting of a run, as the table above describes them."""

    db: str = str(DATA_DIR / "tracker.db")
    public_db: str = str(DATA_DIR / "public.db")
    user_agent: str = f"NewsroomTracker/0.1 (+{DEFAULT_CONTACT})"
    min_interval: float = 1.0
    response_deadline: float = 30.0
    # The seconds of fetching and reading one host may take in a pass (its requests, the waits for its turn and
    # the reading of its answers); its other pages wait for the next pass. 0: no limit. `watch` gives a host at
    # most half its interval.
    host_share: float = 300.0
    allow_private: bool = False
    allowed_hosts: frozenset[str] = frozenset()
    secret_key: str | None = None
    https: bool = False
    password_method: str = "scrypt"
    # An editor session ends after this long unused, and this long after signing in however used (0: never).
    # The browser's session cookie alone lasts as long as the browser, which a newsroom's may for weeks.
    session_idle_hours: float = 12.0
    session_max_days: float = 7.0
    editor_port: int = 5000
    public_port: int = 8001
    editor_workers: int | None = None
    bench_floor: bool = False
    editor_address: str = ""  # where people open the editor (TRACKER_EDITOR_URL); empty: see editor_url
    alerts_key: str | None = None
    # The live demo's fictional sites -> the loopback server playing them (demo_hosts below), and its pace.
    demo_hosts: tuple[tuple[str, str, int], ...] = ()
    demo_pace: float = 1.0
    demo_port: int = 8188
    public_url: str = ""
    public_hosts: tuple[str, ...] = ()
    outlet_name: str = "the newsroom"
    document_max_bytes: int = 100 * 1024 * 1024
    document_max_pages: int = 2000
    # Reverse proxies in front of the editor whose X-Forwarded-For / -Proto to believe (0: none, the
    # header is anyone's to write). Behind one proxy every request comes from the proxy's address, so
    # the per-address login limit would count all staff as one.
    trusted_proxies: int = 0
    # Read by the public site's plugin through metadata.yml (its own default, page_cache.py, is the same);
    # read here too so a value no cache can use is refused when a command starts, not taken for 300 s.
    page_cache_seconds: float = 300.0

    @property
    def editor_url(self) -> str:
        """The editor's address in alert links: the one the newsroom named, else this machine at the editor's port."""
        return self.editor_address or f"http://127.0.0.1:{self.editor_port}"

    @property
    def public_site_url(self) -> str:
        """The public site's address in alert links: TRACKER_PUBLIC_URL, else this machine at the public port."""
        return self.public_url.rstrip("/") or f"http://127.0.0.1:{self.public_port}"

    @property
    def host_map(self) -> dict[str, tuple[str, int]]:
        """demo_hosts as the fetcher takes them: name -> (address, port)."""
        return {host: (address, port) for host, address, port in self.demo_hosts}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives, each missing one at its default."""
        env = os.environ if environ is None else environ
        default = cls()
        contact = _one_line(env, "TRACKER_CONTACT_URL", DEFAULT_CONTACT)
        return cls(
            db=_path(env, "TRACKER_DB", default.db),
            public_db=_path(env, "TRACKER_PUBLIC_DB", default.public_db),
            user_agent=_one_line(env, "TRACKER_USER_AGENT", f"NewsroomTracker/0.1 (+{contact})"),
            min_interval=_number(env, "TRACKER_MIN_INTERVAL", float, default.min_interval),
            response_deadline=_number(env, "TRACKER_RESPONSE_DEADLINE", float, default.response_deadline),
            host_share=_number(env, "TRACKER_HOST_SHARE", float, default.host_share),
            allow_private=_flag(env, "TRACKER_ALLOW_PRIVATE"),
            allowed_hosts=frozenset(h.strip() for h in env.get("TRACKER_ALLOWED_HOSTS", "").split(",") if h.strip()),
            secret_key=env.get("TRACKER_SECRET_KEY") or None,
            https=_flag(env, "TRACKER_HTTPS"),
            password_method=env.get("TRACKER_PASSWORD_METHOD", default.password_method),
            session_idle_hours=_number(env, "TRACKER_SESSION_IDLE_HOURS", float, default.session_idle_hours),
            session_max_days=_number(env, "TRACKER_SESSION_MAX_DAYS", float, default.session_max_days),
            editor_port=_number(env, "EDITOR_PORT", int, default.editor_port, most=65535),
            public_port=_number(env, "PUBLIC_PORT", int, default.public_port, most=65535),
            editor_workers=_number(env, "EDITOR_WORKERS", int, None),
            bench_floor=_flag(env, "TRACKER_BENCH_FLOOR"),
            editor_address=(env.get("TRACKER_EDITOR_URL") or "").strip().rstrip("/"),
            alerts_key=env.get("TRACKER_ALERTS_KEY") or None,
            demo_hosts=demo_hosts(env.get("TRACKER_DEMO_HOSTS", "")),
            demo_pace=_number(env, "DEMO_PACE", float, default.demo_pace, most=100),
            demo_port=_number(env, "DEMO_PORT", int, default.demo_port, most=65535),
            public_url=(env.get("TRACKER_PUBLIC_URL") or "").strip(),
            public_hosts=tuple(h.strip() for h in env.get("TRACKER_PUBLIC_HOSTS", "").split(",") if h.strip()),
            outlet_name=(env.get("TRACKER_OUTLET_NAME") or "").strip() or default.outlet_name,
            document_max_bytes=int(_number(env, "TRACKER_DOCUMENT_MAX_MB", float, 100, positive=True) * 1024 * 1024),
            document_max_pages=_number(
                env, "TRACKER_DOCUMENT_MAX_PAGES", int, default.document_max_pages, positive=True
            ),
            trusted_proxies=_number(env, "TRACKER_PROXIES", int, default.trusted_proxies, most=5),
            page_cache_seconds=_number(env, "TRACKER_PAGE_CACHE_SECONDS", float, default.page_cache_seconds),
        )

    def replace(self, **changes) -> Settings:
        """These settings with some changed (a command's --db, say)."""
        return dataclasses.replace(self, **changes)

    def fetcher_options(self) -> dict:
        """Keyword arguments for scrapers.http.Fetcher besides the user agent."""
        return {
            "allow_private": self.allow_private,
            "allowed_hosts": set(self.allowed_hosts),
            "host_map": self.host_map,
            "min_interval": self.min_interval,
            "total_timeout": self.response_deadline,
            "max_document_bytes": self.document_max_bytes,
        }

    def editor_env(self) -> dict[str, str]:
        """What an editor worker process needs to build the same app: its environment's share of these settings."""
        env = {
            "TRACKER_DB": self.db,
            "TRACKER_PUBLIC_DB": self.public_db,
            "TRACKER_USER_AGENT": self.user_agent,
            "TRACKER_MIN_INTERVAL": str(self.min_interval),
            "TRACKER_RESPONSE_DEADLINE": str(self.response_deadline),
            "TRACKER_ALLOW_PRIVATE": "1" if self.allow_private else "",
            "TRACKER_ALLOWED_HOSTS": ",".join(sorted(self.allowed_hosts)),
            "TRACKER_HTTPS": "1" if self.https else "",
            "TRACKER_PASSWORD_METHOD": self.password_method,
            "TRACKER_SESSION_IDLE_HOURS": str(self.session_idle_hours),
            "TRACKER_SESSION_MAX_DAYS": str(self.session_max_days),
            "TRACKER_EDITOR_URL": self.editor_address,
            "PUBLIC_PORT": str(self.public_port),
            "TRACKER_DEMO_HOSTS": ",".join(f"{h}={a}:{p}" for h, a, p in self.demo_hosts),
            "DEMO_PACE": str(self.demo_pace),
            "TRACKER_OUTLET_NAME": self.outlet_name,
            "TRACKER_DOCUMENT_MAX_MB": str(self.document_max_bytes / (1024 * 1024)),
            "TRACKER_DOCUMENT_MAX_PAGES": str(self.document_max_pages),
        }
        if self.secret_key:
            env["TRACKER_SECRET_KEY"] = self.secret_key
        return env


class SettingError(TrackerError):
    """An environment variable the tracker cannot use; the message names it and says what it takes."""


# The shortest session key taken: the generated one is 64 hex digits (256 bits).
MIN_SECRET_KEY = 32


def refuse_weak_secret_key(key: str | bytes) -> None:
    """Refuse a session key short enough to guess, in one line naming the setting and how to make a good one.

    The sign-in page hands anyone a signed session cookie; a short key (a word, a phrase, "changeme") is found
    from it offline, and a cookie naming any account's id and session version, both small numbers, then signs
    its bearer in as that account.
    """
    if len(key) < MIN_SECRET_KEY:
        raise SettingError(
            f"TRACKER_SECRET_KEY (or SECRET_KEY in instance/config.py) is {len(key)} characters: a key that short "
            "can be guessed from any session cookie, and with it anyone can sign in as anyone. Give at least "
            f"{MIN_SECRET_KEY} random characters (python -c 'import secrets; print(secrets.token_hex(32))'), or "
            "unset it to have one generated into instance/secret_key."
        )


def demo_hosts(text: str) -> tuple[tuple[str, str, int], ...]:
    """TRACKER_DEMO_HOSTS: the live demo's fictional sites and the loopback server that plays them.

    "name.example=127.0.0.1:8188,..." as `python -m tracker serve --live-demo`
    sets it for its children. Only names under `.example` (reserved, so never
    a real site) and only loopback addresses: the one way through the
    address guard for the demo, which opens nothing else on the machine.
    """
    found = []
    for entry in filter(None, (part.strip() for part in (text or "").split(","))):
        host, _, target = entry.partition("=")
        address, _, port = target.rpartition(":")
        host, address = host.strip().lower(), address.strip("[]")
        try:
            loopback = ipaddress.ip_address(address).is_loopback
            number = int(port)
        except ValueError:
            loopback, number = False, 0
        if not host.endswith(DEMO_HOST_SUFFIX) or not loopback or not 0 < number < 65536:
            raise SettingError(
                f"TRACKER_DEMO_HOSTS: {entry!r} is not NAME{DEMO_HOST_SUFFIX}=LOOPBACK-ADDRESS:PORT "
                "(e.g. courier.example=127.0.0.1:8188); it is only for the live demo's fictional sites."
            )
        found.append((host, address, number))
    return tuple(found)


def _one_line(env: Mapping[str, str], name: str, default: str) -> str:
    """A setting sent in a request header (the user agent): a line break or other control character in it
    fails every fetch ("Invalid header value"), or would smuggle in a header of its own."""
    value = env.get(name, default)
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise SettingError(f"{name}={value!r} has a control character (a line break?); give it on one line.")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    """An on/off setting: one rule for all of them. TRACKER_HTTPS=true once meant off here and on in the public
    site's plugin (no Secure session cookie, yet HSTS), so a word that is neither is refused, not taken as off."""
    raw = (env.get(name) or "").strip()
    if raw.lower() in ON:
        return True
    if not raw or raw.lower() in OFF:
        return False
    raise SettingError(f"{name}={raw!r} is neither on nor off; give 1, true, yes or on, or 0, false, no or off.")


def _path(env: Mapping[str, str], name: str, default: str) -> str:
    """A database's path: set but empty (`TRACKER_DB=$UNSET`) is a mistake, as `--db ""` is, not the current folder."""
    value = env.get(name)
    if value is None:
        return default
    if not value.strip():
        raise SettingError(f"{name} is set but empty: give the database file's path, or unset it for the default.")
    return value


def _number(env: Mapping[str, str], name: str, kind: type, default, most: float | None = None, positive: bool = False):
    """A numeric setting; `positive` for a limit, which 0 would make refuse everything it bounds (a document of any
    size, "0.0 MB, over the 0 MB limit"), as if each thing were at fault rather than the setting."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):  # float() takes nan and inf, which no setting can use
        raise SettingError(f"{name}={raw!r} is not a number; unset it or give e.g. {default or 2}.")
    if value < 0:
        raise SettingError(f"{name}={raw!r} cannot be negative.")
    if positive and value == 0:
        raise SettingError(
            f"{name}={raw!r} allows nothing: give a number above 0 (e.g. {default}), or unset it for the default."
        )
    if most is not None and value > most:
        raise SettingError(f"{name}={raw!r} is over {most}; unset it or give e.g. {default}.")
    return value


def placeholder_contact_note(settings: Settings) -> str | None:
    """The one line `scrape` and `watch` say when the User-Agent still names the placeholder contact, else None.

    Every request names a contact so that a site troubled by the scraper can reach
    the newsroom before it blocks it; the default names a reserved domain nobody reads.
    """
    if DEFAULT_CONTACT not in settings.user_agent:
        return None
    return (
        f"note: sites are told to reach you at the placeholder {DEFAULT_CONTACT} (in the User-Agent): "
        "set TRACKER_CONTACT_URL to an address of the newsroom's where they can."
    )


@functools.lru_cache(maxsize=1)
def settings() -> Settings:
    """The settings of code called outside an entry point (tests, scripts): read from the environment on first use."""
    return Settings.from_env()


INSTANCE_DIR = ROOT / "instance"


def instance_key(instance: Path, name: str, make: Callable[[], str], *, when_empty: str) -> str:
    """A key kept in instance/<name> (mode 0600, never committed): read, or made by `make` on first use.

    The editor's session key and the alerts key both live there when the
    environment does not give them. O_EXCL makes two processes starting at
    once agree on one key. An empty file is a one-line error ending with
    `when_empty` (what to do about it).
    """
    path = instance / name
    instance.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text().strip()
        if key:
            return key
        raise TrackerError(f"{path} is empty: {when_empty}") from None
    key = make()
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return key
