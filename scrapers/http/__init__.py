"""The one HTTP client every scraper uses: polite to the sites, safe with the URLs reporters type in.

Fetching is kept apart from parsing: `Fetcher.get` turns a URL into a
`Response` (bytes plus what we learned on the way) and never raises for
network or HTTP trouble, so one bad source cannot stop a scrape pass. The
caller records `error` or `skipped` per source and moves on.

The package, by job:
- guard.py: which URLs and addresses may be fetched (only http and https; no
  private, loopback, link-local or reserved address, on any redirect hop or at
  connect time, unless the configuration allows it);
- transport.py: kept-alive connections on the standard library's http.client,
  every socket read held to the request's total deadline, bodies decoded;
- exchange.py: one GET and what its answer is worth (size caps, binary files
  refused, error pages cut short, the sentence a reporter reads);
- fetcher.py: the polite fetcher (robots.txt, per-host pacing, conditional
  GET, retries, redirects), the `Fetcher` and `Response` callers use;
- stream.py: many URLs fetched one worker per host, each response handed
  over as it arrives, so a scrape pass parses while the rest download, and
  each host held to its share of the pass (HostShare);
- verify.py: a poll that checks a feed's 304s with a ranged GET of the bytes
  naming its newest entry.
"""

from scrapers.http.exchange import parse_content_type
from scrapers.http.fetcher import DISALLOWED, Clock, Fetcher, Response
from scrapers.http.guard import AddressRefused, address_problem
from scrapers.http.stream import HostShare, Request, fetch_stream
from scrapers.http.verify import Window, window_of

__all__ = [
    "DISALLOWED",
    "AddressRefused",
    "Clock",
    "Fetcher",
    "HostShare",
    "Request",
    "Response",
    "Window",
    "address_problem",
    "fetch_stream",
    "parse_content_type",
    "window_of",
]
