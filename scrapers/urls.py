"""One canonical form per article URL, so copies of a link find the same coverage item.

The same article reaches us as a feed link with tracking parameters, an AMP
page, a mobile host or a link with a fragment. Storing each as its own item
would split one article's revisions and evidence across several rows.
Pure functions: no network, no database.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

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
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "__hs")
MOBILE_HOST_PREFIXES = ("m.", "mobile.", "amp.")
DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SEGMENT = re.compile(r"/amp(?=/|$)", re.I)
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$|$)", re.I)


MAX_HOST = 253  # the longest name DNS can carry
_NOT_IN_HOST = re.compile(r"[\s\"'<>`{}|\\^]")


def is_http_url(url: str | None) -> bool:
    """Is this an absolute http(s) URL with a host name that could exist (not a path, not javascript: or mailto:)?

    A host with a space or a quote ("exa mple.com", pasted badly) or longer than DNS
    allows would only fail at every fetch; it is refused where it is typed.
    """
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


def canonical_url(url: str) -> str:
    """The URL reduced to what identifies the article.

    Lowercases scheme and host, drops default ports, credentials and the
    fragment, drops tracking parameters (utm_*, fbclid, gclid, mc_cid, ref, ...)
    and AMP / mobile variants, and sorts what is left of the query so parameter
    order does not matter. Non-http URLs (file://) only lose their fragment.
    Raises ValueError for text that is not a URL at all.
    """
    url = (url or "").strip()
    if not url:
        raise ValueError("empty URL")
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
    path = _strip_amp_path(parts.path) or "/"
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
