"""One HTTP exchange: a GET on the transport, its body read within the caps, its outcome in words.

No retries, no redirects, no waiting for a host's turn: those are the
fetcher's. What is decided here is what an answer is worth keeping (error
pages cut short, binary files refused whatever their declared type, bodies
capped in size and in total time) and the sentence a reporter reads when
something went wrong: it names the URL and what to do.
"""

from __future__ import annotations

import email.utils
import http.client
import ssl
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus

from urllib3.util import Url

from scrapers.http.advice import SOURCE, advice
from scrapers.http.guard import CONTROL_CHARS, AddressRefused, os_words, refusal
from scrapers.http.transport import (
    ConnectFailed,
    Connections,
    ConnectTimeout,
    LookupTimedOut,
    UnaskedEncoding,
    Undecodable,
    body_chunks,
    deadline,
    read_headers,
)
from scrapers.sniff import SNIFF_BYTES, binary_kind

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# How much of an error page (4xx/5xx) we read: enough to show a human, not the whole thing.
ERROR_BODY_BYTES = 64 * 1024
# The longest Retry-After we honour: a site asking for years (or sending a date past 9999) is asked again after a
# day, as a failing source is (scrapers/schedule.py), instead of being left alone for good.
MAX_RETRY_AFTER = 24 * 3600
HUGE_NUMBER = 10**18  # what a header's number of more digits reads as: more than any size or delay compared with

BINARY_MAJOR_TYPES = {"image", "audio", "video", "font", "model"}
BINARY_TYPES = {
    "application/octet-stream",
    "application/pdf",
    "application/zip",
    "application/x-zip-compressed",
    "application/gzip",
    "application/x-gzip",
    "application/x-tar",
    "application/x-bzip2",
    "application/x-xz",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/java-archive",
    "application/msword",
    "application/x-msdownload",
    "application/x-shockwave-flash",
    "application/wasm",
}


@dataclass
class Reply:
    """One HTTP exchange (no retries, no redirects)."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    skipped: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    location: str | None = None
    elapsed: float = 0.0
    attempts: int = 1
    timed_out: bool = False  # no answer in time (connecting, waiting for data, or the total deadline)
    # Why the host gave no answer at all, in a few words: no connection made, or one dropped unanswered
    # ("connection refused", "connection reset by peer", "no answer in time"). The site failing, not a page.
    no_connection: str | None = None


def send(
    connections: Connections,
    url: str,
    parsed: Url,
    headers: dict[str, str],
    *,
    limit: int,
    total_timeout: float,
    budget: float | None = None,
    lenient: bool = False,
    binary_ok: bool = False,
    page_limit: int | None = None,
    context: str = SOURCE,
) -> Reply:
    """One GET on a connection from `connections`, within `total_timeout` seconds from sending to the last byte.

    budget: what is left of the deadline of the whole fetch (its lookups, robots.txt, earlier hops and attempts
    have taken the rest), when less than total_timeout: the request is held to that instead.

    lenient (for robots.txt): keep the first `limit` bytes of a larger body, skip type checks.
    binary_ok (for documents): keep a binary body (a PDF) instead of refusing it; the size limit still holds.
    page_limit: with binary_ok, the limit a body that is not binary (a page) is held to instead.
    context: whom the error sentence advises (scrapers/http/advice.py).
    Never raises for network or HTTP trouble: the Reply says what happened.
    """
    started = time.monotonic()
    deadline.at = started + (total_timeout if budget is None else max(min(total_timeout, budget), 0.0))
    deadline.binding = False
    reply = Reply(url)
    release, done = None, False
    try:
        response, release = connections.open(parsed, parsed.request_uri, headers)
        reply.status = response.status
        reply.headers = read_headers(response)
        _read_body(response, reply, limit, lenient, binary_ok, page_limit, context)
        done = True
    except AddressRefused as exc:
        reply.error = refusal(url, exc, context)
    except LookupTimedOut as exc:  # the name servers, not the site: no request was sent
        reply.timed_out = True
        if deadline.binding:  # the lookup had only what the fetch's deadline left
            reply.error = f"{url} took longer than {total_timeout:g} s in total: {exc}; {advice('later', context)}."
        else:
            reply.error = f"Could not fetch {url}: {exc}; {advice('later', context)}."
            reply.retryable = True
        reply.no_connection = "its name servers gave no answer in time"
    except TimeoutError as exc:
        reply.timed_out = True
        if deadline.binding or time.monotonic() >= deadline.at:
            reply.error = (
                f"{url} took longer than {total_timeout:g} s in total to answer; the server is too slow "
                f"or drips its response: {advice('later', context)}."
            )
        else:
            phase = "while connecting" if isinstance(exc, ConnectTimeout) else "waiting for data"
            reply.error = f"{url} timed out ({phase}); the site may be down or overloaded: {advice('later', context)}."
            reply.retryable = True
            if isinstance(exc, ConnectTimeout):
                reply.no_connection = "no answer in time"
    except (http.client.HTTPException, OSError, Undecodable) as exc:
        reply.error, reply.retryable = _transport_error(url, exc, context)
        if isinstance(exc, ConnectFailed | ConnectionError):  # refused, unreachable, reset, closed unanswered
            reply.no_connection = _detail(exc)
    finally:
        if release is not None:
            release(keep=done)
        deadline.at = None
    reply.elapsed = time.monotonic() - started
    return reply


def _read_body(
    response: http.client.HTTPResponse,
    reply: Reply,
    limit: int,
    lenient: bool,
    binary_ok: bool = False,
    page_limit: int | None = None,
    context: str = SOURCE,
) -> None:
    """Read what is worth keeping; what is left unread closes the connection (Connections._release)."""
    status = response.status
    headers = reply.headers
    if status in REDIRECT_STATUSES and headers.get("location"):
        reply.location = headers["location"]
        return
    if status == 304:
        return
    if status >= 400 or status < 200:
        limit = min(limit, ERROR_BODY_BYTES)
        reply.retryable = status == 429 or (status >= 500 and status not in (501, 505))
        reply.retry_after = _retry_after(headers.get("retry-after"))
    mime, charset = parse_content_type(headers.get("content-type"))
    ok_status = 200 <= status < 300
    checked = ok_status and not lenient
    if checked and not binary_ok and (why := _binary_type(mime)):
        reply.error = _binary_error(reply.url, why, context)
        return
    declared = _header_number(headers.get("content-length"))
    document = binary_ok  # the limit is a document's (TRACKER_DOCUMENT_MAX_MB), until the bytes say it is a page
    if checked and declared is not None and declared > limit:
        reply.error = _oversize_error(reply.url, limit, document, context)
        return
    body = bytearray()
    page_limit = page_limit if checked and binary_ok else None
    try:
        for chunk in body_chunks(response, headers.get("content-encoding", "").strip().lower()):
            body += chunk
            if page_limit is not None and len(body) >= SNIFF_BYTES:
                if not (_binary_type(mime) or _sniff_binary(bytes(body[:SNIFF_BYTES]), charset)):
                    limit = min(limit, page_limit)  # a page where documents are welcome: still a page's size
                    document = False
                page_limit = None
            if len(body) > limit:
                if checked:  # refused: nothing of it goes further (a queue of such bodies filled memory)
                    reply.error = _oversize_error(reply.url, limit, document, context)
                    return
                break
            if time.monotonic() > deadline.at:
                raise TimeoutError("total deadline passed")
    except Undecodable:
        if ok_status:
            raise
        # An error page in a coding we cannot read: its status says what matters (three 404s mark a source gone).
    if checked and not binary_ok and (why := _sniff_binary(bytes(body[:SNIFF_BYTES]), charset)):
        reply.error = _binary_error(reply.url, f"{why}, although served as {mime or 'an unknown type'}", context)
        return
    reply.body = bytes(body[:limit])


# -- what the headers and bytes say -------------------------------------------------------------


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'iso-8859-1') from 'text/html; charset="ISO-8859-1"'.

    Without control characters: no type or charset has them, and the type is
    quoted in errors shown on a terminal ("image/\\x1b[2J" cleared it).
    """
    if not value:
        return None, None
    value = CONTROL_CHARS.sub("", value)
    mime, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset":
            charset = val.strip().strip("\"'").strip().lower() or None
    return mime.strip().lower() or None, charset


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date, at most MAX_RETRY_AFTER; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    seconds = _header_number(value)
    if seconds is not None:
        return float(min(seconds, MAX_RETRY_AFTER))
    when = http_date(value)
    if when is None:
        return None
    return min(max(0.0, when - datetime.now(UTC).timestamp()), MAX_RETRY_AFTER)


def http_date(value: str | None) -> float | None:
    """An HTTP date (Date, Last-Modified, Retry-After) as seconds since the epoch; None if unreadable."""
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):  # OverflowError: a year no datetime holds
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.timestamp()
    except (OverflowError, ValueError):
        return None


def _header_number(value: str | None) -> int | None:
    """A header's number of ASCII digits, or None; a number longer than any limit reads as HUGE_NUMBER.

    str.isdigit() also says yes to "¹" and "²", which int() refuses, and int()
    refuses more than 4,300 digits: a server's header must not raise.
    """
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    digits = value.lstrip("0") or "0"
    return int(digits) if len(digits) < len(str(HUGE_NUMBER)) else HUGE_NUMBER


def _binary_type(mime: str | None) -> str | None:
    if not mime:
        return None
    major, _, subtype = mime.partition("/")
    binary = major in BINARY_MAJOR_TYPES or mime in BINARY_TYPES
    if major == "application" and subtype.startswith("vnd.") and not subtype.endswith(("+xml", "+json")):
        binary = True
    return f"declared as {mime}" if binary else None


def _sniff_binary(body: bytes, charset: str | None) -> str | None:
    """Why the first bytes look like a binary file, or None if they look like text."""
    kind = binary_kind(body, charset)
    return None if kind is None else f"the bytes are {kind}"


# -- sentences for people -------------------------------------------------------------


def _detail(exc: BaseException) -> str:
    """A network failure in a few words, as a sentence quotes it: "connection refused", never "[Errno 111] ..."."""
    detail = os_words(exc)[:300]
    # The site's own bytes (a broken status line) can be in it: escape sequences are shown, never sent to a terminal.
    return CONTROL_CHARS.sub(lambda m: ascii(m.group())[1:-1], detail)


def _transport_error(url: str, exc: BaseException, context: str = SOURCE) -> tuple[str, bool]:
    """A sentence for a network failure, and whether trying again soon could help."""
    detail = _detail(exc)
    if isinstance(exc, ssl.SSLCertVerificationError) or "certificate" in detail.lower():
        return f"{url} has a TLS certificate that could not be verified ({detail}); check the address.", False
    if isinstance(exc, ConnectFailed | ConnectionRefusedError):
        return f"Could not connect to {url} ({detail}); {advice('down', context)}.", True
    if isinstance(exc, UnaskedEncoding):  # the server ignored our Accept-Encoding: it will do so next time too
        return (
            f"{url} sent its body compressed as {exc}; nothing was stored. Its server ignores what we ask "
            f"for: {advice('unasked', context)}."
        ), False
    if isinstance(exc, Undecodable):  # e.g. a body that claims gzip but is not
        return f"{url} sent a response we could not read ({detail}); try it in a browser.", False
    return f"The connection to {url} failed ({detail}); the site may be having trouble.", True


def _binary_error(url: str, why: str, context: str = SOURCE) -> str:
    return f"{url} is a binary file ({why}), not a page or feed; nothing was stored. {advice('binary', context)}."


def _oversize_error(url: str, limit: int, document: bool, context: str = SOURCE) -> str:
    """The limit of a page or feed is no setting (no real one comes near it); a document's is."""
    what = (
        "if the document really is that large, raise TRACKER_DOCUMENT_MAX_MB"
        if document
        else advice("too large", context)
    )
    return f"{url}: response larger than {limit} bytes, so reading stopped and nothing was stored; {what}."


def status_error(reply: Reply, context: str = SOURCE) -> str:
    """The sentence for an HTTP error status: what it means and what to do, for a source or an address given now."""
    status = reply.status or 0
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "unknown status"
    tries = f" after {reply.attempts} attempts" if reply.attempts > 1 else ""
    what = "check the address in a browser"
    if status in (404, 410):
        what = advice("gone", context)
    elif status in (401, 403):
        what = "the site refuses us; check the address in a browser or ask the site to allow our crawler"
    elif status == 429:
        what = f"the site asks us to slow down; {advice('later', context)}"
        if reply.retry_after is not None:
            what += f" (it asked for {reply.retry_after:.0f} s)"
    elif status >= 500:
        what = f"the site has trouble; {advice('later', context)}"
    return f"{reply.url} answered HTTP {status} {phrase}{tries}; {what}."
