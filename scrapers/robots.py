"""robots.txt rules for one site: what we may fetch and how slowly.

Parsing is protego's (it follows RFC 9309 and Google's extensions); this module
only decides what an answer to GET /robots.txt means. Fetching and caching live
in scrapers/http/fetcher.py; the network is scrapers/http/.

What an answer means (RFC 9309, section 2.3.1):
- 2xx: the rules in the file apply;
- 4xx other than 429 (including 404, 401 and 403): there are no rules, allow all;
- 429, 5xx, a network error or a redirect chain we cannot follow: the site is
  "unreachable" and the standard says to assume complete disallow. We do that,
  but only for a short while (Fetcher's robots_error_ttl) so a site's brief
  outage does not keep it out of a developing story for long. When the host
  took no connection at all (refused, reset, unreachable), the fetcher fails
  the fetch instead of skipping it: the site is down, it set no rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego

# RFC 9309 asks crawlers to parse at least 500 KiB; anything after that is ignored.
MAX_ROBOTS_BYTES = 500 * 1024
MAX_ROBOTS_REDIRECTS = 5


@dataclass
class RobotsRules:
    """The rules of one origin (scheme, host, port), valid until `expires` on the fetcher's clock."""

    parser: Protego | None = None  # None: no rules (allow all) or unreachable
    unreachable: str | None = None  # why robots.txt could not be read; the site counts as disallowed
    cause: str | None = None  # unreachable: why, in a few words ("it answered HTTP 503", "connection refused")
    no_connection: bool = False  # unreachable because no connection to the host was made at all
    expires: float = 0.0

    def allows(self, url: str, token: str) -> bool:
        if self.unreachable is not None:
            return False
        if self.parser is None:
            return True
        return self.parser.can_fetch(url, token)

    def delay(self, token: str) -> float | None:
        """Seconds to leave between two requests to this site, if robots.txt asks for it."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(token)
        rate = self.parser.request_rate(token)
        if rate is not None and rate.requests:
            try:
                per_request = rate.seconds / rate.requests
            except OverflowError:  # 1/<400 digits>: malformed, as protego takes a Crawl-delay no float holds
                return delay
            delay = per_request if delay is None else max(delay, per_request)
        return delay


def parse(body: bytes, expires: float) -> RobotsRules:
    """Rules from the bytes of a robots.txt; undecodable bytes are replaced, never fatal."""
    text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
    return RobotsRules(parser=Protego.parse(text), expires=expires)


def allow_all(expires: float) -> RobotsRules:
    return RobotsRules(expires=expires)


def unreachable(reason: str, expires: float, cause: str | None = None, no_connection: bool = False) -> RobotsRules:
    return RobotsRules(unreachable=reason, expires=expires, cause=cause, no_connection=no_connection)


def product_token(user_agent: str) -> str:
    """The name robots.txt groups are matched against: 'NewsroomTracker' in 'NewsroomTracker/0.1 (+url)'.

    Matching the whole User-Agent string would let words in the contact URL
    match other crawlers' groups.
    """
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or user_agent
