"""One canonical form per article URL, so copies of a link find the same coverage item.

The same article reaches us as a feed link with tracking parameters, an AMP
page, a mobile host or a link with a fragment. Storing each as its own item
would split one article's revisions and evidence across several rows.
Pure functions: no network, no database.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import PurePosixPath
from urllib.parse import parse_qs, parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

# Parameters that say how a reader arrived, never which article they read.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "cmpid",
        "cmp",
        "icid",
        "ocid",
        "smid",
        "s_cid",
        "_ga",
        "_gl",
        "ito",
        "mkt_tok",
        "amp",
        # campaign tags of feed links: AT Internet's (Le Monde's "xtor=RSS-3208", the BBC's "at_medium=RSS")
        "xtor",
        "at_medium",
        "at_campaign",
        "at_source",
        "at_link",
        # session ids, new on every visit, and jQuery's cache-buster ("_=1733500611")
        "jsessionid",
        "phpsessid",
        "aspsessionid",
        "sessionid",
        "_",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs", "ns_", "at_custom")  # ns_*: comScore's, as on BBC feeds
# A Java server's session id written into the path ("/a.html;jsessionid=A1B2"), new on every visit.
_SESSION_IN_PATH = re.compile(r";jsessionid=[^/;?]*", re.I)
MOBILE_HOST_PREFIXES = ("m.", "mobile.", "amp.")
DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.I)
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.I)


# Link wrappers that carry the article's address in a parameter: news aggregators' feeds (Bing News
# RSS links every entry through apiclick.aspx), search results, mail filters and social networks.
# Fetching the wrapper would store the wrapper's page, or be refused by its robots.txt.
REDIRECTORS = {
    ("bing.com", "/news/apiclick.aspx"): "url",
    ("google.com", "/url"): ("url", "q"),
    ("l.facebook.com", "/l.php"): "u",
    ("lm.facebook.com", "/l.php"): "u",
}
SAFELINKS = ".safelinks.protection.outlook.com"  # Outlook's mail filter: any region's host, `url`
GOOGLE_NEWS = "news.google.com"
_GOOGLE_NEWS_ID = re.compile(r"/(?:rss/)?articles/([A-Za-z0-9_-]{8,2000})$")
_URL_BYTES = re.compile(rb"https?://[\x21-\x7e]+")
MAX_HOST = 253  # the longest name DNS can carry
# The longest address taken (RFC 9110 asks servers to read at least 8,000 octets of one): a longer one is
# no page's address, only a request every server refuses and a log row as long.
MAX_URL = 8192
_NOT_IN_HOST = re.compile(r"[\s\"'<>`{}|\\^]")
# Control characters the fetcher refuses in an address (tab and line breaks aside: URL parsing drops them, as
# browsers do).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def is_http_url(url: str | None) -> bool:
    """Is this an absolute http(s) URL with a host name that could exist (not a path, not javascript: or mailto:)?

    A host with a space or a quote ("exa mple.com", pasted badly) or longer than DNS
    allows, an address past MAX_URL, or one with a control character would only fail at
    every fetch; it is refused where it is typed, or where a site's feed or page links it
    (an escape sequence in it would reach the terminal `scrape` reports to).
    """
    if url is not None and (len(url) > MAX_URL or _CONTROLS.search(url)):
        return False
    try:
        parts = urlsplit((url or "").strip())
        host = parts.hostname
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(host)
        and len(host) <= MAX_HOST
        and not _NOT_IN_HOST.search(host)
    )


def http_url_problem(url: str | None, what: str) -> str | None:
    """Why `url` is not an address to fetch or link, in a sentence for whoever typed it; None when it is one.

    `what` is the thing it should be the address of ("the document's"). The
    checks are is_http_url's: an address too long to be one (a page of text
    pasted with it) is told so, not told to start with http://, which it may.
    """
    if is_http_url(url):
        return None
    url = (url or "").strip()
    if len(url) > MAX_URL:
        return f"That address is {len(url):,} characters long; a web address is at most {MAX_URL:,}: give {what} own."
    if _CONTROLS.search(url):
        return "That address holds a control character (pasted with it?): give the address alone."
    return f"Give {what} full web address, starting with http:// or https://."


# Query parameters that sign a link or carry an access key: whoever holds the link opens what it points to
# (a presigned S3, Google Cloud Storage or Azure URL, a CloudFront signed URL, a token in the address). First
# listed, first named: the one that says best what the link is.
KEY_PARAMS = {
    "x-amz-signature": "an Amazon S3 signature",
    "x-amz-credential": "an Amazon S3 signature",
    "x-amz-security-token": "an Amazon S3 session token",
    "x-goog-signature": "a Google Cloud Storage signature",
    "x-goog-credential": "a Google Cloud Storage signature",
    "googleaccessid": "a Google Cloud Storage signature",
    "sig": "a storage signature",
    "signature": "a signature",
    "resourcekey": "a Google Drive resource key",
    "rlkey": "a Dropbox link key",
    "authkey": "a OneDrive key",
    "access_token": "an access token",
    "token": "an access token",
    "auth": "an access token",
    "api_key": "an API key",
    "apikey": "an API key",
}
# Hosts whose shared links carry the key in the path ("anyone with the link"): (host, path prefixes or None for
# every path, what it is).
KEY_IN_PATH = (
    ("docs.google.com", None, "a Google Docs or Drive sharing link"),
    ("drive.google.com", None, "a Google Docs or Drive sharing link"),
    ("photos.app.goo.gl", None, "a Google Photos sharing link"),
    ("photos.google.com", ("/share/",), "a Google Photos sharing link"),
    ("dropbox.com", ("/s/", "/scl/", "/sh/", "/t/"), "a Dropbox shared link"),
    ("dl.dropboxusercontent.com", None, "a Dropbox shared link"),
    ("1drv.ms", None, "a OneDrive sharing link"),
    ("onedrive.live.com", None, "a OneDrive sharing link"),
    ("sharepoint.com", ("/:",), "a SharePoint sharing link"),
    ("box.com", ("/s/",), "a Box shared link"),
    ("wetransfer.com", ("/downloads/",), "a WeTransfer link"),
    ("we.tl", None, "a WeTransfer link"),
    ("icloud.com", ("/iclouddrive/", "/photos/", "/attachment/"), "an iCloud sharing link"),
)


# Parameters a network's share button adds that identify the account (or device) that shared a link: a post a
# source forwarded carries the source's. Per host, since `t` or `s` elsewhere are a page's own (a video's time).
SHARE_ID_PARAMS = (
    (("x.com", "twitter.com"), frozenset({"t", "s"})),
    (("youtube.com", "youtu.be", "spotify.com"), frozenset({"si", "pp", "feature"})),
    (("instagram.com", "threads.net", "threads.com"), frozenset({"igsh", "igshid", "xmt", "slof"})),
    (("tiktok.com",), frozenset({"_r", "_t", "is_from_webapp", "sender_device", "share_app_id", "share_link_id"})),
    (("facebook.com", "fb.watch"), frozenset({"mibextid", "rdid", "share_url", "sfnsn"})),
    (("linkedin.com",), frozenset({"rcm", "trk", "lipi"})),
    (("reddit.com",), frozenset({"share_id", "utm_name"})),
)


def without_share_ids(url: str) -> str:
    """The link without the parameters its network's share button added to name who shared it (SHARE_ID_PARAMS)."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return url
    for hosts, names in SHARE_ID_PARAMS:
        if any(host == h or host.endswith("." + h) for h in hosts):
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            kept = [(k, v) for k, v in pairs if k.lower() not in names]
            if len(kept) != len(pairs):
                return urlunsplit(parts._replace(query=urlencode(kept)))
    return url


def link_key(url: str | None) -> str | None:
    """Why this link opens something private to whoever holds it, in words ("an Amazon S3 signature,
    X-Amz-Signature"); None for an ordinary address. The whole link is then the secret: a signature
    removed leaves a link that names the private file, and a sharing link's key is its path."""
    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").rstrip(".")
        names = [name for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    except ValueError:
        return None
    given = {name.lower(): name for name in reversed(names)}
    for param, what in KEY_PARAMS.items():
        if param in given:
            return f"{what}, {given[param]}"
    for known, prefixes, what in KEY_IN_PATH:
        if (host == known or host.endswith("." + known)) and (prefixes is None or parts.path.startswith(prefixes)):
            return what
    return None


def url_file_name(url: str | None) -> str | None:
    """The file name at the end of an address's path (a document without a title of its own is listed by it)."""
    try:
        name = PurePosixPath(unquote(urlsplit(url or "").path)).name
    except ValueError:
        return None
    return name or None


def join_url(base: str, href: str) -> str | None:
    """href made absolute against base; None when either is not a URL at all.

    urljoin raises ValueError on a broken IPv6 host ("http://[oops/"): one
    such link in scraped bytes must be passed over, not fail the whole page.
    """
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def without_credentials(url: str) -> str:
    """The URL without any `user:password@` part, otherwise as given.

    A password typed into a source's address would be stored, shown on every
    source page and copied into each fetch's log line; sites we follow are
    public, so the credentials are dropped instead.
    """
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def unwrapped(url: str) -> str:
    """The article's own address when url is a known link wrapper that carries it, else url unchanged.

    A Google News feed link carries the address in its id only in the older
    form (base64 of a protobuf message holding the URL); the newer ids are
    tokens only Google can resolve, and are left as they are.
    """
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".")
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https"):
        return url
    bare = host[4:] if host.startswith("www.") else host
    names = REDIRECTORS.get((bare, parts.path.rstrip("/") or "/"))
    if names is None and host.endswith(SAFELINKS):
        names = "url"
    if names is not None:
        query = parse_qs(parts.query)
        for name in (names,) if isinstance(names, str) else names:
            for value in query.get(name, []):
                if is_http_url(value):
                    return value
        return url
    if host == GOOGLE_NEWS and (match := _GOOGLE_NEWS_ID.search(parts.path)):
        return _google_news_target(match.group(1)) or url
    return url


def is_unresolvable_wrapper(url: str) -> bool:
    """A Google News article link whose id does not carry the address: fetching it gives Google's page."""
    target = unwrapped(url)
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return (parts.hostname or "").rstrip(".") == GOOGLE_NEWS and bool(_GOOGLE_NEWS_ID.search(parts.path))


def _google_news_target(article_id: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(article_id + "=" * (-len(article_id) % 4))
    except (binascii.Error, ValueError):
        return None
    found = _URL_BYTES.search(raw)
    if found is None:
        return None
    start = found.start()
    # A protobuf string: its length (a varint of one or two bytes) just before it.
    if start >= 2 and raw[start - 2] >= 0x80 and raw[start - 1] < 0x80:
        length = (raw[start - 2] & 0x7F) | (raw[start - 1] << 7)
    elif start >= 1 and raw[start - 1] < 0x80:
        length = raw[start - 1]
    else:
        return None
    target = raw[start : start + length]
    if len(target) != length or not _URL_BYTES.fullmatch(target):
        return None
    text = target.decode("ascii")
    return text if is_http_url(text) and urlsplit(text).hostname != GOOGLE_NEWS else None


def canonical_url(url: str) -> str:
    """The URL reduced to what identifies the article.

    Unwraps link wrappers that carry the article's address (`unwrapped`),
    lowercases scheme and host, drops default ports, credentials and the
    fragment, drops tracking parameters (utm_*, fbclid, gclid, mc_cid, ref, ...),
    session ids (jsessionid, PHPSESSID, ...) and AMP / mobile variants, and sorts what is left of the query so parameter
    order does not matter. Non-http URLs (file://) only lose their fragment.
    Raises ValueError for text that is not a URL at all.
    """
    url = (url or "").strip()
    if not url:
        raise ValueError("empty URL")
    url = unwrapped(url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError(f"URL without a host: {url!r}")
    for prefix in MOBILE_HOST_PREFIXES:
        # Only strip when a registrable name remains: m.example.com, not m.example.
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
            break
    if ":" in host:  # an IPv6 literal needs its brackets back
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _strip_amp_path(_SESSION_IN_PATH.sub("", parts.path)) or "/"
    query = urlencode(sorted(_kept_params(parts.query)), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def _strip_amp_path(path: str) -> str:
    path = _AMP_SEGMENT.sub("", path)
    return _AMP_SUFFIX.sub("", path)


def _kept_params(query: str) -> list[tuple[str, str]]:
    kept = []
    for key, value in parse_qsl(query, keep_blank_values=True):
        lowered = key.lower()
        if lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES):
            continue
        if lowered == "outputtype" and value.lower() == "amp":
            continue
        kept.append((key, value))
    return kept
